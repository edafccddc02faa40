//! Validate stage: a guide's, section's or step's `video:` — a file in the guide's folder with its
//! poster and captions, an address of a video service, or a video not made yet.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::{
    FileCheck, GUIDE_FOLDER, Kind, attachment_allowed, normalize_rel, read_image, same_redactions,
    warn_removed,
};
use crate::diagnostic::Span;
use crate::files;
use crate::input::VideoInput;
use crate::model::{
    Captions, ImageKind, LocalVideo, MediaFile, Poster, ServiceVideo, Site, Video, VideoKind,
    VideoSource,
};
use crate::video;

/// Extensions of poster images found by convention beside a video (`intro.mp4` → `intro.jpg`).
const POSTER_EXTENSIONS: [&str; 4] = ["jpg", "jpeg", "png", "svg"];

/// Validates one `video:`; `None` when it has errors, which are in the check's diagnostics.
pub(super) fn video(
    check: &mut FileCheck,
    site: &Site,
    written: &Spanned<VideoInput>,
) -> Option<Video> {
    let at: Span = written.referenced.into();
    let input = &written.value;
    let title = match &input.title {
        Some(t) => check.text(t, Kind::Plain, "the video's title"),
        None => {
            check.error(
                at,
                "the video has no `title`",
                Some("add `title:`, what the video shows; the page, the QR code's label and the PDF name the video by it".into()),
            );
            None
        }
    };
    let planned = match &input.status {
        None => false,
        Some(status) => match status.value.as_str() {
            "ready" => false,
            "planned" => true,
            other => {
                check.error(
                    status.referenced,
                    format!("unknown video status `{other}`"),
                    Some(
                        "write `ready` (the default) or `planned`, for a video not made yet".into(),
                    ),
                );
                return None;
            }
        },
    };
    let source = if planned {
        // A planned video may already name its future file or address: neither is read yet.
        Some(VideoSource::Planned)
    } else {
        match (&input.src, &input.url) {
            (Some(_), Some(url)) => {
                check.error(
                    url.referenced,
                    "a video has `src` or `url`, not both",
                    Some("`src` names a video file in the guide's folder, `url` the address of a video service".into()),
                );
                None
            }
            (None, None) => {
                check.error(
                    at,
                    "the video has neither `src` nor `url`",
                    Some("name a video file in the guide's folder with `src:`, give a video service's address with `url:`, or write `status: planned` for a video not made yet".into()),
                );
                None
            }
            (Some(src), None) => local(check, site, input, src).map(VideoSource::Local),
            (None, Some(url)) => service(check, site, input, url).map(VideoSource::Service),
        }
    };
    Some(Video {
        title: title?,
        source: source?,
        origin: check.origin(at),
    })
}

/// `url:` — the address of a video on a service.
fn service(
    check: &mut FileCheck,
    site: &Site,
    input: &VideoInput,
    url: &Spanned<String>,
) -> Option<ServiceVideo> {
    if let Some(captions) = &input.captions {
        check.error(
            captions.referenced,
            "`captions` are for a video file (`src`)",
            Some(
                "a video service shows the captions uploaded there: add them on the service".into(),
            ),
        );
    }
    let (service, embed) = match video::classify(&url.value) {
        Ok(classified) => classified,
        Err(why) => {
            check.error(
                url.referenced,
                format!("`{}` is not a video's address: {why}", url.value),
                Some("give the video's https:// address as the service shows it (YouTube, Vimeo, Panopto, Microsoft Stream, or any https:// page)".into()),
            );
            return None;
        }
    };
    // Shown in the PDF only: the page shows a service's video as a link card.
    let poster = match &input.poster {
        Some(poster) => Some(self::poster(check, poster)?),
        None => None,
    };
    Some(ServiceVideo {
        url: url.value.clone(),
        service,
        embed: embed.filter(|_| site.video_embed.contains(&service)),
        poster,
    })
}

/// `src:` — a video file in the guide's folder, with its poster and captions.
fn local(
    check: &mut FileCheck,
    site: &Site,
    input: &VideoInput,
    src: &Spanned<String>,
) -> Option<LocalVideo> {
    let dir = check.guide_dir?.to_path_buf();
    let rel = src.value.as_str();
    let ext = super::extension(rel);
    let Some(kind) = VideoKind::from_extension(ext) else {
        check.error(
            src.referenced,
            format!("`{rel}` is not a supported video"),
            Some("videos are MP4 or WebM files (.mp4, .webm): convert it, or publish it on a video service and give its address with `url:`".into()),
        );
        return None;
    };
    if let Err((message, hint)) = attachment_allowed(rel) {
        check.error(src.referenced, message, Some(hint));
        return None;
    }
    // The file, its poster and its captions are each checked, so that one run reports every problem.
    let file = match files::scan_inside(
        &dir,
        Path::new(rel),
        files::MAX_VIDEO_FILE_BYTES,
        video::HEAD_BYTES,
    ) {
        Ok(scanned) if video::looks_like(&scanned.head, kind) => Some(MediaFile {
            rel: normalize_rel(rel),
            dir: dir.clone(),
            len: scanned.len,
            digest: scanned.digest,
        }),
        Ok(_) => {
            check.error(
                src.referenced,
                format!("`{rel}` is not a valid {} video", kind.name()),
                Some(format!(
                    "export the video again as {} (its extension must match what it is)",
                    kind.name()
                )),
            );
            None
        }
        Err(err) => {
            let hint = match err {
                files::ReadError::TooLarge { .. } => "make the video smaller (a lower resolution or bitrate, or shorter), or publish it on a video service and give its address with `url:`".into(),
                _ => err.hint(),
            };
            check.error(src.referenced, err.message(rel, GUIDE_FOLDER), Some(hint));
            None
        }
    };

    let (stem, _) = rel.rsplit_once('.').unwrap_or((rel, ""));
    let poster = match &input.poster {
        Some(poster) => self::poster(check, poster).map(Some).ok_or(()),
        None => {
            let found = POSTER_EXTENSIONS
                .iter()
                .map(|ext| format!("{stem}.{ext}"))
                .find(|candidate| std::fs::symlink_metadata(dir.join(candidate)).is_ok());
            match found {
                Some(found) => {
                    let spanned = Spanned {
                        value: found,
                        referenced: src.referenced,
                        defined: src.defined,
                    };
                    self::poster(check, &spanned).map(Some).ok_or(())
                }
                None if file.is_none() => Ok(None),
                None => {
                    check.warning(
                        src.referenced,
                        format!("the video `{rel}` has no poster image"),
                        format!("add `poster:` with a still from the video (or put `{stem}.jpg` beside it): the page shows it before the video plays, and the PDF shows it in the video's place"),
                    );
                    Ok(None)
                }
            }
        }
    };
    let captions = captions(check, site, input, src, stem);
    Some(LocalVideo {
        file: file?,
        kind,
        poster: poster.ok()?,
        captions: captions?,
    })
}

/// A poster image, and its `name.<lang>.ext` variants beside it.
fn poster(check: &mut FileCheck, written: &Spanned<String>) -> Option<Poster> {
    let dir = check.guide_dir?.to_path_buf();
    let src = written.value.as_str();
    let at: Span = written.referenced.into();
    if let Some(hint) = super::address_not_file(src) {
        check.error(
            at,
            format!("`{src}` is an address, not a file of the guide"),
            Some(hint),
        );
        return None;
    }
    let Some(kind) = ImageKind::from_extension(super::extension(src)) else {
        check.error(
            at,
            format!("`{src}` is not a supported poster image"),
            Some("a poster is a PNG, JPEG or SVG image (.png, .jpg, .jpeg, .svg)".into()),
        );
        return None;
    };
    // A poster cannot be redacted: the file may not be one a step shows redacted.
    same_redactions(check, &dir, src, &[], at);
    let default = match read_image(&dir, src, kind, &[]) {
        Ok((image, removed, _)) => {
            warn_removed(check, at, src, &removed);
            image
        }
        Err((message, hint)) => {
            check.error(at, message, Some(hint));
            return None;
        }
    };
    let mut localized = BTreeMap::new();
    let (stem, ext) = src.rsplit_once('.').unwrap_or((src, ""));
    let languages = check.languages;
    for lang in languages.iter().cloned() {
        let variant = format!("{stem}.{lang}.{ext}");
        if std::fs::symlink_metadata(dir.join(&variant)).is_err() {
            continue;
        }
        same_redactions(check, &dir, &variant, &[], at);
        match read_image(&dir, &variant, kind, &[]) {
            Ok((image, removed, _)) => {
                warn_removed(check, at, &variant, &removed);
                localized.insert(lang, image);
            }
            Err((message, _)) => {
                check.error(at, message, Some(format!("fix or remove `{variant}`")));
            }
        }
    }
    Some(Poster { default, localized })
}

/// The captions of a video file: those named under `captions:`, and for every other language of
/// the site `<video>.<lang>.vtt` beside it where that exists. A language without captions is a
/// warning.
fn captions(
    check: &mut FileCheck,
    site: &Site,
    input: &VideoInput,
    src: &Spanned<String>,
    stem: &str,
) -> Option<BTreeMap<String, Captions>> {
    let dir = check.guide_dir?.to_path_buf();
    let errors_before = check.diagnostics.error_count();
    let mut named: BTreeMap<String, &Spanned<String>> = BTreeMap::new();
    if let Some(written) = &input.captions {
        for (lang, file) in &written.value {
            if check.languages.contains(lang) {
                named.insert(lang.clone(), file);
            } else {
                check.error(
                    file.referenced,
                    format!("language `{lang}` is not one of the site's languages"),
                    Some(format!(
                        "the site's languages are {}; captions are given for those",
                        check.languages.join(", ")
                    )),
                );
            }
        }
    }
    let mut captions = BTreeMap::new();
    let languages = check.languages;
    for lang in languages.iter().cloned() {
        let (rel, at) = match named.get(&lang) {
            Some(file) => (file.value.clone(), Span::from(file.referenced)),
            None => {
                let conventional = format!("{stem}.{lang}.vtt");
                if std::fs::symlink_metadata(dir.join(&conventional)).is_err() {
                    let name = site
                        .language(&lang)
                        .map_or(lang.as_str(), |l| l.catalog.name.as_str());
                    check.warning(
                        src.referenced,
                        format!(
                            "the video `{}` has no captions in {name} (`{lang}`)",
                            src.value
                        ),
                        format!(
                            "add the captions as WebVTT in `{conventional}` beside the video, or name their file under `captions:`; readers who cannot hear the video need them"
                        ),
                    );
                    continue;
                }
                (conventional, Span::from(src.referenced))
            }
        };
        if let Some(file) = read_captions(check, &dir, &rel, at) {
            captions.insert(lang, file);
        }
    }
    (check.diagnostics.error_count() == errors_before).then_some(captions)
}

/// Reads a WebVTT file of the guide's folder, or reports at `at` why it cannot be used.
fn read_captions(check: &mut FileCheck, dir: &Path, rel: &str, at: Span) -> Option<Captions> {
    if !super::extension(rel).eq_ignore_ascii_case("vtt") {
        check.error(
            at,
            format!("`{rel}` is not a WebVTT captions file"),
            Some("captions are WebVTT files (.vtt); convert SRT captions to WebVTT (most subtitle editors save both)".into()),
        );
        return None;
    }
    if let Err((message, hint)) = attachment_allowed(rel) {
        check.error(at, message, Some(hint));
        return None;
    }
    let bytes = match files::read_inside(dir, Path::new(rel), files::MAX_TEXT_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(err) => {
            check.error(at, err.message(rel, GUIDE_FOLDER), Some(err.hint()));
            return None;
        }
    };
    let text_ok = std::str::from_utf8(&bytes).is_ok_and(video::is_webvtt);
    if !text_ok {
        check.error(
            at,
            format!("`{rel}` is not a WebVTT captions file"),
            Some("a WebVTT file is UTF-8 text whose first line is `WEBVTT`; convert SRT captions to WebVTT (most subtitle editors save both)".into()),
        );
        return None;
    }
    Some(Captions {
        rel: normalize_rel(rel),
        bytes: Arc::new(bytes),
    })
}
