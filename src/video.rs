//! Validate stage: what guidegen knows of videos without reading a guide — the video services by their
//! addresses and the player address each one is embedded from, and the first bytes of MP4, WebM and
//! WebVTT files.
//!
//! A player address is built only from the parts of an address that are checked to be a video's id
//! (letters, digits and a few marks), never copied from what an author wrote.

use crate::model::{Service, VideoKind};

/// The longest video address accepted: a QR code at error correction M holds 2,331 bytes, and a
/// code that long is too dense to scan from a screen or paper anyway.
pub const MAX_URL_BYTES: usize = 1000;

/// The parts of an https:// address.
struct Address<'a> {
    /// Lowercase, without a port.
    host: String,
    path: &'a str,
    query: &'a str,
}

impl<'a> Address<'a> {
    fn parse(url: &'a str) -> Result<Address<'a>, String> {
        let Some(rest) = url
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
            .map(|_| &url[8..])
        else {
            return Err("a video's address must start with https://".into());
        };
        if url.len() > MAX_URL_BYTES {
            return Err(format!(
                "the address is longer than {MAX_URL_BYTES} characters, too long for a QR code that scans well"
            ));
        }
        if let Some(c) = url.chars().find(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`')
        }) {
            return Err(format!(
                "the address contains {c:?}, which addresses never contain unencoded"
            ));
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        if authority.contains('@') {
            return Err("the address has a user name before its host (`…@`), which can disguise where it leads".into());
        }
        let host = authority
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(authority, |(host, _)| host)
            .to_ascii_lowercase();
        if host.is_empty()
            || !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        {
            return Err("the address has no valid host name".into());
        }
        let after = &rest[end..];
        let after = after.split('#').next().unwrap_or_default();
        let (path, query) = after.split_once('?').unwrap_or((after, ""));
        Ok(Address { host, path, query })
    }

    fn param(&self, name: &str) -> Option<&'a str> {
        self.query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    fn segments(&self) -> impl Iterator<Item = &'a str> {
        self.path.split('/').filter(|s| !s.is_empty())
    }

    fn host_is(&self, domain: &str) -> bool {
        self.host == domain || self.host.ends_with(&format!(".{domain}"))
    }
}

/// What a video address is: its service, and the address of the service's player for it where the
/// service has one guidegen can build. `Err`: why the address cannot be a video's.
pub fn classify(url: &str) -> Result<(Service, Option<String>), String> {
    let address = Address::parse(url)?;
    if address.host_is("youtube.com")
        || address.host_is("youtu.be")
        || address.host_is("youtube-nocookie.com")
    {
        return Ok((Service::YouTube, youtube(&address)));
    }
    if address.host_is("vimeo.com") {
        return Ok((Service::Vimeo, vimeo(&address)));
    }
    if address.host_is("panopto.com") || address.host_is("panopto.eu") {
        return Ok((Service::Panopto, panopto(&address)));
    }
    let stream_page = address.host_is("sharepoint.com")
        && (address.path.to_ascii_lowercase().contains("stream.aspx")
            || address.path.contains("/:v:/"));
    if address.host_is("microsoftstream.com") || stream_page {
        // Stream on SharePoint embeds by an id its share links don't carry: a link card only.
        return Ok((Service::Stream, None));
    }
    Ok((Service::Other, None))
}

/// The host of an address, for naming a service guidegen doesn't know ("video.dmjx.dk").
pub fn host(url: &str) -> String {
    Address::parse(url).map(|a| a.host).unwrap_or_default()
}

fn is_id(text: &str, len: std::ops::RangeInclusive<usize>, extra: &[u8]) -> bool {
    len.contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
}

/// `youtube.com/watch?v=ID`, `youtu.be/ID`, `…/embed/ID`, `…/shorts/ID`, `…/live/ID`.
fn youtube(address: &Address) -> Option<String> {
    let segments: Vec<&str> = address.segments().collect();
    let id = if address.host_is("youtu.be") {
        segments.first().copied()
    } else {
        match segments.as_slice() {
            ["watch", ..] => address.param("v"),
            ["embed" | "shorts" | "live" | "v", id, ..] => Some(*id),
            _ => None,
        }
    }?;
    is_id(id, 11..=11, b"-_")
        .then(|| format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"))
}

/// `vimeo.com/ID`, `vimeo.com/ID/HASH` (an unlisted video), `player.vimeo.com/video/ID?h=HASH`,
/// `vimeo.com/channels/x/ID`.
fn vimeo(address: &Address) -> Option<String> {
    let segments: Vec<&str> = address.segments().collect();
    let at = segments
        .iter()
        .position(|s| is_id(s, 1..=12, b"") && s.bytes().all(|b| b.is_ascii_digit()))?;
    let id = segments[at];
    let hash = segments
        .get(at + 1)
        .copied()
        .or_else(|| address.param("h"))
        .filter(|h| is_id(h, 1..=40, b""));
    let hash = hash.map(|h| format!("&h={h}")).unwrap_or_default();
    Some(format!(
        "https://player.vimeo.com/video/{id}?dnt=1&autoplay=1{hash}"
    ))
}

/// `<host>/Panopto/Pages/Viewer.aspx?id=GUID` (or `Embed.aspx`).
fn panopto(address: &Address) -> Option<String> {
    let page = address.path.to_ascii_lowercase();
    if !(page.ends_with("/viewer.aspx") || page.ends_with("/embed.aspx")) {
        return None;
    }
    let id = address.param("id")?;
    is_id(id, 36..=36, b"-").then(|| {
        format!(
            "https://{}/Panopto/Pages/Embed.aspx?id={id}&autoplay=true",
            address.host
        )
    })
}

/// The origin (`https://host`) of a player address, for a Content-Security-Policy's `frame-src`.
pub fn origin(embed: &str) -> Option<String> {
    let address = Address::parse(embed).ok()?;
    Some(format!("https://{}", address.host))
}

/// How many first bytes [`looks_like`] needs.
pub const HEAD_BYTES: usize = 12;

/// Whether a file's first bytes are those of a `kind` video: an MP4 (ISO base media) file starts
/// with a box of type `ftyp`, a WebM (Matroska) file with the EBML magic number.
pub fn looks_like(head: &[u8], kind: VideoKind) -> bool {
    match kind {
        VideoKind::Mp4 => head.get(4..8) == Some(b"ftyp"),
        VideoKind::WebM => head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]),
    }
}

/// Whether `text` is a WebVTT file: `WEBVTT` first (after a byte order mark), then a space, a tab or
/// the end of the line.
pub fn is_webvtt(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']))
}

/// `text` as a `data:` URL of type `text/vtt`: how a page gives the browser its captions, since
/// browsers refuse caption files from `file://` pages (the page would have no captions when opened
/// from a folder).
pub fn data_url(text: &[u8]) -> String {
    format!(
        "data:text/vtt;charset=utf-8;base64,{}",
        crate::base64::encode(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_known_by_their_addresses() {
        let yt = Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1".to_owned());
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=x&v=dQw4w9WgXcQ#t=3",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(classify(url), Ok((Service::YouTube, yt.clone())), "{url}");
        }
        // A channel: YouTube, but nothing to embed.
        assert_eq!(
            classify("https://www.youtube.com/@dmjx"),
            Ok((Service::YouTube, None))
        );
        // An id with a character no id has is never copied into a player's address.
        assert_eq!(
            classify("https://youtu.be/dQw4w9WgX\"Q"),
            Err("the address contains '\"', which addresses never contain unencoded".into())
        );
        assert_eq!(
            classify("https://youtu.be/dQw4w9W%22XcQ"),
            Ok((Service::YouTube, None))
        );
        assert_eq!(
            classify("https://vimeo.com/76979871"),
            Ok((
                Service::Vimeo,
                Some("https://player.vimeo.com/video/76979871?dnt=1&autoplay=1".into())
            ))
        );
        assert_eq!(
            classify("https://vimeo.com/76979871/abc123def"),
            Ok((
                Service::Vimeo,
                Some("https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=abc123def".into())
            ))
        );
        assert_eq!(
            classify(
                "https://dmjx.cloud.panopto.eu/Panopto/Pages/Viewer.aspx?id=0f5e6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
            ),
            Ok((
                Service::Panopto,
                Some("https://dmjx.cloud.panopto.eu/Panopto/Pages/Embed.aspx?id=0f5e6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b&autoplay=true".into())
            ))
        );
        assert_eq!(
            classify("https://dmjx.sharepoint.com/:v:/s/it/EabcDEF"),
            Ok((Service::Stream, None))
        );
        assert_eq!(
            classify("https://video.dmjx.dk/mfa"),
            Ok((Service::Other, None))
        );
        // Look-alike hosts are not the service.
        assert_eq!(
            classify("https://youtube.com.evil.dk/watch?v=dQw4w9WgXcQ"),
            Ok((Service::Other, None))
        );
        assert_eq!(
            classify("https://notyoutube.com/watch?v=dQw4w9WgXcQ"),
            Ok((Service::Other, None))
        );
    }

    #[test]
    fn only_plain_https_addresses_are_videos() {
        for url in [
            "http://youtu.be/dQw4w9WgXcQ",
            "javascript:alert(1)",
            "https://youtube.com@evil.dk/x",
            "https:///x",
            "https://a b/",
        ] {
            assert!(classify(url).is_err(), "{url}");
        }
        assert!(classify(&format!("https://x.dk/{}", "a".repeat(MAX_URL_BYTES))).is_err());
        assert_eq!(host("https://Video.DMJX.dk:8443/x"), "video.dmjx.dk");
        assert_eq!(
            origin("https://www.youtube-nocookie.com/embed/x?y").as_deref(),
            Some("https://www.youtube-nocookie.com")
        );
    }

    #[test]
    fn file_types_by_their_first_bytes() {
        assert!(looks_like(b"\0\0\0\x18ftypisom\0\0\x02\0", VideoKind::Mp4));
        assert!(!looks_like(b"\x1a\x45\xdf\xa3", VideoKind::Mp4));
        assert!(looks_like(b"\x1a\x45\xdf\xa3\x9f", VideoKind::WebM));
        assert!(!looks_like(b"<html>", VideoKind::WebM));
        assert!(is_webvtt("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"));
        assert!(is_webvtt("\u{feff}WEBVTT - captions\n"));
        assert!(is_webvtt("WEBVTT"));
        assert!(!is_webvtt("WEBVTTX\n"));
        assert!(!is_webvtt("1\n00:00:00,000 --> 00:00:01,000\nHi\n"));
        assert_eq!(
            data_url(b"WEBVTT\n"),
            "data:text/vtt;charset=utf-8;base64,V0VCVlRUCg=="
        );
    }
}
