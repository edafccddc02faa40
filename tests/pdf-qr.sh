#!/usr/bin/env bash
# The QR codes in a built guidegen site's PDFs, as a reader's phone would see them on paper.
#
#   bash tests/pdf-qr.sh <output-dir>
#
# For every PDF under <output-dir>:
#   - renders its pages at 150 dpi (pdftoppm) and decodes every QR code on them (zbarimg);
#   - extracts its text (pdftotext) and finds the printed store URLs, those that start with
#     https://apps.apple.com/ or https://play.google.com/ (a URL may be wrapped over lines);
#   - fails if a printed store URL is not the payload of a QR code, if a QR code's payload is not
#     printed (as often as there are codes for it), or, when the guide's HTML page sits beside the
#     PDF (<lang>/<id>/index.html), if the page's store QR codes (data-qr) are not the PDF's, or its
#     continue-on-your-phone codes (the data-qr of each data-continue element) are not the PDF's codes
#     that open a step (payloads ending in #step-<n>).
# Fails when there is no PDF at all. Needs poppler-utils and zbar-tools.
set -euo pipefail

STORE_PREFIXES=(https://apps.apple.com/ https://play.google.com/)
STORE_RE='^(https://apps\.apple\.com/|https://play\.google\.com/)'

if [[ $# -ne 1 || ! -d $1 ]]; then
  echo "usage: bash tests/pdf-qr.sh <output-dir>" >&2
  exit 2
fi
root=$(cd "$1" && pwd)
for tool in pdftoppm pdftotext zbarimg; do
  command -v "$tool" >/dev/null || { echo "pdf-qr: $tool is missing (apt-get install -y poppler-utils zbar-tools)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Checks one text extraction of a PDF against its decoded payloads.
# Usage: match_printed <text-file> <decoded-file>; prints one line per problem; exit 1 if any.
# Text is compared with whitespace skipped, so URLs wrapped over lines still match.
match_printed() {
  awk -v prefixes="${STORE_PREFIXES[*]}" '
    # Does u occur in text at position p, whitespace skipped? If whole, the URL must also end there.
    # Sets END_AT to the position after it.
    function match_at(p, u, whole,    k, c) {
      for (k = 1; k <= length(u); k++) {
        while (p <= n && substr(text, p, 1) ~ /[ \t\r\n\f\v]/) p++
        if (p > n || substr(text, p, 1) != substr(u, k, 1)) return 0
        p++
      }
      # What follows must not continue the URL on the same line.
      c = substr(text, p, 1)
      if (whole && c ~ /[A-Za-z0-9\/_%?=&#~+-]/) return 0
      END_AT = p
      return 1
    }
    FILENAME == ARGV[1] { if ($0 != "") { decoded[$0]++; if (!($0 in order)) { order[$0] = ++ndistinct; by_order[ndistinct] = $0 } } ; next }
    { text = text $0 "\n" }
    END {
      n = length(text); bad = 0
      np = split(prefixes, prefix, " ")
      # Longest payloads first, so that a payload that is a prefix of another does not steal it.
      nd = 0
      for (i = 1; i <= ndistinct; i++) sorted[++nd] = by_order[i]
      for (i = 1; i <= nd; i++) for (j = i + 1; j <= nd; j++)
        if (length(sorted[j]) > length(sorted[i])) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
      p = 1
      while (p <= n) {
        if (substr(text, p, 1) != "h") { p++; continue }
        is_store = 0
        for (i = 1; i <= np; i++) if (match_at(p, prefix[i], 0)) { is_store = 1; break }
        if (is_store) {
          found = ""
          for (i = 1; i <= nd; i++) if (match_at(p, sorted[i], 1)) { found = sorted[i]; break }
          if (found == "") {
            shown = substr(text, p, 300); sub(/[ \t\r\n\f\v].*/, "", shown)
            more = ""
            if (substr(text, p + length(shown), 1) == "\n") {
              more = substr(text, p + length(shown) + 1, 300); sub(/^[ \t]+/, "", more); sub(/[ \t\r\n\f\v].*/, "", more)
              if (more != "") more = " (wrapped? the next line starts with: " more ")"
            }
            printf "printed store URL has no QR code with that payload: %s%s\n", shown, more
            bad++; p++
          } else {
            printed[found]++; p = END_AT
          }
        } else {
          # A non-store payload (if any) counts as printed wherever it occurs.
          for (i = 1; i <= nd; i++) if (match_at(p, sorted[i], 1)) { printed[sorted[i]]++; p = END_AT - 1; break }
          p++
        }
      }
      for (i = 1; i <= nd; i++) {
        u = sorted[i]
        if (!(u in printed)) { printf "QR code payload is not printed: %s\n", u; bad++ }
        else if (printed[u] < decoded[u]) { printf "%d QR codes decode to %s, but it is printed %d times\n", decoded[u], u, printed[u]; bad++ }
      }
      exit bad > 0
    }
  ' "$2" "$1"
}

# The store URLs of the data-qr attributes of an HTML page, one per line, sorted, unique.
html_store_qr() {
  { grep -oE "data-qr=(\"[^\"]*\"|'[^']*')" "$1" || true; } \
    | sed -E "s/^data-qr=[\"']//; s/[\"']\$//; s/&quot;/\"/g; s/&#0*39;|&#x0*27;|&apos;/'/g; s/&lt;/</g; s/&gt;/>/g; s/&#0*38;|&#x0*26;/\\&/g; s/&amp;/\\&/g" \
    | { grep -E "$STORE_RE" || true; } | LC_ALL=C sort -u
}

# The continue-on-your-phone URLs of an HTML page (data-qr of each element with data-continue), one
# per line, sorted, unique.
html_continue_qr() {
  { grep -oE "<[^>]*data-continue=[^>]*>" "$1" || true; } \
    | { grep -oE "data-qr=(\"[^\"]*\"|'[^']*')" || true; } \
    | sed -E "s/^data-qr=[\"']//; s/[\"']\$//; s/&amp;/\\&/g" \
    | LC_ALL=C sort -u
}

mapfile -d '' pdfs < <(find "$root" -type f -iname '*.pdf' -print0 | LC_ALL=C sort -z)
if [[ ${#pdfs[@]} -eq 0 ]]; then
  echo "pdf-qr: FAIL: no PDF under $root"
  exit 1
fi

zbar_opts=(--raw -q -Sdisable -Sqrcode.enable)
total_codes=0
failed=0
for pdf in "${pdfs[@]}"; do
  rel=${pdf#"$root"/}
  dir="$work/pdf"
  rm -rf "$dir" && mkdir -p "$dir"
  problems=()

  # 1. Decode the QR codes on every page.
  if ! pdftoppm -r 150 -png "$pdf" "$dir/page" 2>"$dir/pdftoppm.err"; then
    echo "FAIL $rel: pdftoppm could not render it: $(head -c 500 "$dir/pdftoppm.err")"
    failed=$((failed + 1))
    continue
  fi
  : >"$dir/decoded"
  pages=0
  while IFS= read -r -d '' png; do
    pages=$((pages + 1))
    rc=0
    zbarimg "${zbar_opts[@]}" "$png" >>"$dir/decoded" 2>"$dir/zbar.err" || rc=$?
    if [[ $rc -ne 0 && $rc -ne 4 ]]; then  # 4: no code on this page
      problems+=("zbarimg failed on page image $(basename "$png") (exit $rc): $(head -c 300 "$dir/zbar.err")")
    fi
  done < <(find "$dir" -name 'page*.png' -print0 | LC_ALL=C sort -z)
  sed -i '/^$/d' "$dir/decoded"
  codes=$(wc -l <"$dir/decoded")
  total_codes=$((total_codes + codes))

  # 2. The printed URLs must be the codes' payloads. Text order depends on the extraction mode
  #    (-layout interleaves side-by-side captions line by line, -raw keeps the PDF's own order),
  #    so any one mode that matches will do; else the problems of the mode with fewest are shown.
  best=""
  for mode in -raw -layout default; do
    args=()
    [[ $mode != default ]] && args=("$mode")
    if ! pdftotext "${args[@]}" "$pdf" "$dir/text$mode" 2>"$dir/pdftotext.err"; then
      problems+=("pdftotext $mode failed: $(head -c 300 "$dir/pdftotext.err")")
      break
    fi
    if match_printed "$dir/text$mode" "$dir/decoded" >"$dir/problems$mode"; then
      best=""
      break
    fi
    if [[ -z $best ]] || [[ $(wc -l <"$dir/problems$mode") -lt $(wc -l <"$best") ]]; then
      best="$dir/problems$mode"
    fi
  done
  if [[ -n $best ]]; then
    mapfile -t lines <"$best"
    problems+=("${lines[@]}")
  fi

  # 3. The guide's HTML page beside the PDF must have the same store QR codes.
  page="$(dirname "$pdf")/index.html"
  if [[ -f $page ]]; then
    html_store_qr "$page" >"$dir/html-qr"
    { grep -E "$STORE_RE" "$dir/decoded" || true; } | LC_ALL=C sort -u >"$dir/pdf-qr"
    while IFS= read -r url; do
      problems+=("the HTML page has a QR code for $url, the PDF has none")
    done < <(LC_ALL=C comm -23 "$dir/html-qr" "$dir/pdf-qr")
    while IFS= read -r url; do
      problems+=("the PDF has a QR code for $url, the HTML page ($(basename "$page")) has none")
    done < <(LC_ALL=C comm -13 "$dir/html-qr" "$dir/pdf-qr")
    html_continue_qr "$page" >"$dir/html-continue"
    # A PDF for one combination of platforms (<id>-<lang>-windows-ios.pdf) has the codes of its
    # own platforms only: those whose address chooses one of them (?phone=ios), and those that
    # choose none.
    guide_id=$(basename "$(dirname "$pdf")")
    lang=$(basename "$(dirname "$(dirname "$pdf")")")
    name=$(basename "$pdf" .pdf)
    if [[ $name == "$guide_id-$lang-"* ]]; then
      platforms=${name#"$guide_id-$lang-"}
      { grep -vE '\?' "$dir/html-continue" || true
        for platform in ${platforms//-/ }; do
          grep -E "[?&][a-z0-9-]+=$platform(&|#)" "$dir/html-continue" || true
        done
      } | LC_ALL=C sort -u >"$dir/html-continue-own"
      mv "$dir/html-continue-own" "$dir/html-continue"
    fi
    { grep -E '#step-[0-9]+$' "$dir/decoded" || true; } | LC_ALL=C sort -u >"$dir/pdf-continue"
    while IFS= read -r url; do
      problems+=("the HTML page has a continue code for $url, the PDF has none")
    done < <(LC_ALL=C comm -23 "$dir/html-continue" "$dir/pdf-continue")
    while IFS= read -r url; do
      problems+=("the PDF has a continue code for $url, the HTML page ($(basename "$page")) has none")
    done < <(LC_ALL=C comm -13 "$dir/html-continue" "$dir/pdf-continue")
  fi

  if [[ ${#problems[@]} -gt 0 ]]; then
    failed=$((failed + 1))
    for problem in "${problems[@]}"; do
      echo "FAIL $rel: $problem"
    done
  else
    echo "ok   $rel: $pages pages, $codes QR codes$( ((codes)) && printf ': %s' "$(sort "$dir/decoded" | uniq -c | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), ($1 > 1 ? $1 "x " : "") $2 }')")"
  fi
done

if [[ $failed -gt 0 ]]; then
  echo "pdf-qr: ${#pdfs[@]} PDFs, $total_codes QR codes decoded, $failed PDFs failed: FAIL"
  exit 1
fi
echo "pdf-qr: ${#pdfs[@]} PDFs, $total_codes QR codes decoded, all match"
