//! Language codes guidegen knows: every ISO 639-1 code, the primary subtag of a BCP 47 tag, so that
//! `dk` (Denmark) is caught with "did you mean `da`?" instead of becoming a language of the site.
//! Three-letter ISO 639-2/3 codes are accepted as written: there are too many to list.

/// ISO 639-1, in order.
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Whether `code` is a language tag guidegen knows: a known two-letter (or any three-letter)
/// primary language, then subtags of the right form (a script `Hant`, a region `BR` or `419`, a
/// variant).
pub fn is_known(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok = match primary.len() {
        2 => ISO_639_1.binary_search(&primary).is_ok(),
        3 => primary.chars().all(|c| c.is_ascii_lowercase()),
        _ => false,
    };
    primary_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// "did you mean `da`?" for a country code (`dk`), a code in capitals (`DA`), a language name
/// (`danish`, `dansk`) or a region written with `_` (`pt_BR`).
pub fn suggestion(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase().replace('_', "-");
    let primary = lower.split('-').next().unwrap_or_default();
    if let Some((_, language)) = crate::plan::COUNTRY_NOT_LANGUAGE
        .iter()
        .find(|(country, _)| *country == primary)
    {
        return Some(format!(
            "`{primary}` is a country code; did you mean `{language}`?"
        ));
    }
    let by_name = NAMES
        .iter()
        .find(|(names, _)| names.split(' ').any(|n| n == lower))
        .map(|(_, c)| *c);
    if let Some(c) = by_name {
        return Some(format!("did you mean `{c}`?"));
    }
    // `pt_BR`, `DA`: the same tag written another way.
    let mut parts = code
        .replace('_', "-")
        .split('-')
        .map(str::to_owned)
        .collect::<Vec<_>>();
    if let Some(first) = parts.first_mut() {
        *first = first.to_ascii_lowercase();
    }
    let fixed = parts.join("-");
    if fixed != code && is_known(&fixed) {
        return Some(format!("did you mean `{fixed}`?"));
    }
    None
}

/// Language names people write instead of codes.
const NAMES: &[(&str, &str)] = &[
    ("danish dansk", "da"),
    ("english", "en"),
    ("german deutsch", "de"),
    ("swedish svenska", "sv"),
    ("norwegian norsk", "nb"),
    ("finnish suomi", "fi"),
    ("icelandic íslenska", "is"),
    ("dutch nederlands", "nl"),
    ("french français francais", "fr"),
    ("spanish español espanol", "es"),
    ("italian italiano", "it"),
    ("portuguese português portugues", "pt"),
    ("polish polski", "pl"),
    ("ukrainian", "uk"),
    ("russian", "ru"),
    ("arabic", "ar"),
    ("turkish türkçe", "tr"),
    ("greek", "el"),
    ("faroese føroyskt", "fo"),
    ("greenlandic kalaallisut", "kl"),
    ("chinese", "zh"),
    ("japanese", "ja"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_for_binary_search() {
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn knows_languages_and_catches_countries() {
        assert!(is_known("da"));
        assert!(is_known("pt-BR"));
        assert!(is_known("zh-Hant"));
        assert!(is_known("fil"));
        assert!(!is_known("dk"));
        assert!(!is_known("xx"));
        assert_eq!(
            suggestion("dk").as_deref(),
            Some("`dk` is a country code; did you mean `da`?")
        );
        assert_eq!(suggestion("Danish").as_deref(), Some("did you mean `da`?"));
        assert_eq!(
            suggestion("pt_BR").as_deref(),
            Some("did you mean `pt-BR`?")
        );
        assert_eq!(suggestion("DA").as_deref(), Some("did you mean `da`?"));
    }
}
