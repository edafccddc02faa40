//! Render stage: how views become the templates' values — each part converted once and shared
//! where a page (or every page of a language) shows the same thing twice.
//!
//! tera keeps its values behind `Arc`s and takes a `tera::Value` met while it converts a view as it
//! is (a reference count, not a copy), so a part converted once can stand in several places.
//! Outside tera's conversion a `tera::Value` serializes as the data it holds: the views still mean
//! the same to any other serializer.

use serde::ser::{Error as _, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{DeviceView, StepView};
use crate::catalog::Catalog;
use crate::variants::PartView;

/// `ui`: the language's UI strings, converted on the first page of the language and shared by the
/// rest (each page used to convert all of them).
impl Serialize for Catalog {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = match self.ui_value.get() {
            Some(value) => value,
            None => {
                let value =
                    tera::Value::try_from_serializable(self.strings()).map_err(S::Error::custom)?;
                self.ui_value.get_or_init(|| value)
            }
        };
        value.serialize(serializer)
    }
}

/// A step as the templates read it: its fields, and `parts` (the parts as the page shows them).
/// Where the parts are the step's own ([`crate::variants::PartsView::own`]), `step.action` and
/// `step.parts.action[0].value` (and so on for `app`, `screenshot`, `result`, `callouts`) are one
/// value, converted once.
impl Serialize for StepView {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !self.parts.own {
            return StepFields {
                step: self,
                action: &self.action,
                screenshot: &self.screenshot,
                app: &self.app,
                result: &self.result,
                callouts: &self.callouts,
                parts: &self.parts,
            }
            .serialize(serializer);
        }
        let action = value::<S, _>(&self.action)?;
        let screenshot = value::<S, _>(&self.screenshot)?;
        let app = value::<S, _>(&self.app)?;
        let result = value::<S, _>(&self.result)?;
        let callouts = value::<S, _>(&self.callouts)?;
        let parts = OwnParts {
            action: PartView::own(Some(&action)),
            app: PartView::own(self.app.as_ref().map(|_| &app)),
            screenshot: PartView::own(self.screenshot.as_ref().map(|_| &screenshot)),
            result: PartView::own(self.result.as_ref().map(|_| &result)),
            callouts: PartView::own((!self.callouts.is_empty()).then_some(&callouts)),
        };
        StepFields {
            step: self,
            action: &action,
            screenshot: &screenshot,
            app: &app,
            result: &result,
            callouts: &callouts,
            parts: &parts,
        }
        .serialize(serializer)
    }
}

/// A part converted on its own, to be shared.
fn value<S: Serializer, T: Serialize>(part: &T) -> Result<tera::Value, S::Error> {
    tera::Value::try_from_serializable(part).map_err(S::Error::custom)
}

/// [`crate::variants::PartsView`] as it serializes, over shared values.
#[derive(Serialize)]
#[serde(rename = "PartsView")]
struct OwnParts<'a> {
    action: Vec<PartView<&'a tera::Value>>,
    app: Vec<PartView<&'a tera::Value>>,
    screenshot: Vec<PartView<&'a tera::Value>>,
    result: Vec<PartView<&'a tera::Value>>,
    callouts: Vec<PartView<&'a tera::Value>>,
}

/// A step's device: the same few in every step of every page of a language, so each is converted
/// once per thread and shared. Found by what it holds, so a device that reads otherwise (another
/// language, another site in `serve`) is converted anew.
struct SharedDevice<'a>(&'a DeviceView);

/// How many devices a thread keeps converted: a site's devices in its languages, with room.
const SHARED_DEVICES: usize = 32;

thread_local! {
    static DEVICES: std::cell::RefCell<Vec<(DeviceView, tera::Value)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl Serialize for SharedDevice<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let known = DEVICES.with_borrow(|devices| {
            devices
                .iter()
                .find(|(device, _)| device == self.0)
                .map(|(_, value)| value.clone())
        });
        let value = match known {
            Some(value) => value,
            None => {
                let value = value::<S, _>(self.0)?;
                DEVICES.with_borrow_mut(|devices| {
                    if devices.len() == SHARED_DEVICES {
                        devices.clear();
                    }
                    devices.push((self.0.clone(), value.clone()));
                });
                value
            }
        };
        value.serialize(serializer)
    }
}

/// [`StepView`]'s fields, in its order, with the parts as given.
struct StepFields<'a, A, Sh, Ap, R, C, P> {
    step: &'a StepView,
    action: &'a A,
    screenshot: &'a Sh,
    app: &'a Ap,
    result: &'a R,
    callouts: &'a C,
    parts: &'a P,
}

impl<A, Sh, Ap, R, C, P> Serialize for StepFields<'_, A, Sh, Ap, R, C, P>
where
    A: Serialize,
    Sh: Serialize,
    Ap: Serialize,
    R: Serialize,
    C: Serialize,
    P: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let step = self.step;
        let mut s = serializer.serialize_struct("StepView", 13)?;
        s.serialize_field("number", &step.number)?;
        s.serialize_field("label", &step.label)?;
        s.serialize_field("short_label", &step.short_label)?;
        s.serialize_field("device", &SharedDevice(&step.device))?;
        s.serialize_field("banner", &step.banner)?;
        s.serialize_field("action", self.action)?;
        s.serialize_field("screenshot", self.screenshot)?;
        s.serialize_field("app", self.app)?;
        s.serialize_field("result", self.result)?;
        s.serialize_field("callouts", self.callouts)?;
        s.serialize_field("video", &step.video)?;
        s.serialize_field("parts", self.parts)?;
        s.serialize_field("variants", &step.variants)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Icon, Image, ImageKind};
    use crate::view::{
        AppView, CalloutView, DeviceView, Label, Prose, ScreenshotView, ShotCalloutView, StoreView,
    };

    fn label(text: &str) -> Label {
        Label {
            text: text.into(),
            lang: Some("da".into()),
        }
    }

    fn prose(markdown: &str) -> Prose {
        Prose {
            markdown: markdown.into(),
            lang: None,
        }
    }

    fn screenshot() -> ScreenshotView {
        ScreenshotView {
            src: "shots/a.png".into(),
            width: 1200,
            height: 800,
            alt: label("The Next button"),
            alt_missing: false,
            srcset: "shots/a-640.png 640w, shots/a.png 1200w".into(),
            sizes: "42rem".into(),
            renditions: Vec::new(),
            tall: false,
            full_size: Some("Open full size (1200 × 800)".into()),
            overlay: Some("<svg data-callout=\"1\"></svg>".into()),
            callouts: vec![ShotCalloutView {
                number: 1,
                label: label("Next"),
            }],
            callouts_heading: "Marked on the screenshot".into(),
            shapes: Vec::new(),
            image: Image {
                rel: "shots/a.png".into(),
                kind: ImageKind::Png,
                width: 1200,
                height: 800,
                bytes: Default::default(),
                redacted: Vec::new(),
                renditions: Default::default(),
                print: Default::default(),
                cuts: Default::default(),
            },
        }
    }

    fn app() -> AppView {
        AppView {
            id: "authenticator".into(),
            name: label("Authenticator"),
            heading: "Install Authenticator".into(),
            stores: vec![StoreView {
                store: "app_store",
                name: "App Store",
                badge: "Download on the App Store".into(),
                url: "https://apps.apple.com/app/id1".into(),
                qr_label: "QR code".into(),
                qr_svg: "<svg><path d=\"M0 0h1v1h-1z\"/></svg>".into(),
            }],
        }
    }

    /// A step with every part, or with none of the optional ones.
    fn step(full: bool) -> StepView {
        StepView {
            number: 3,
            label: "Step 3 of 9".into(),
            short_label: "Step 3".into(),
            device: DeviceView {
                id: "phone".into(),
                label: label("Phone"),
                icon: crate::icons::svg(Icon::Phone),
                glyph: crate::icons::glyph(crate::icons::class(Icon::Phone)),
            },
            banner: None,
            action: prose("Select **Next**."),
            screenshot: full.then(screenshot),
            app: full.then(app),
            result: full.then(|| prose("The *Done* page appears.")),
            callouts: if full {
                vec![CalloutView {
                    kind: "tip",
                    label: "Tip".into(),
                    body: prose("Keep the phone near."),
                }]
            } else {
                Vec::new()
            },
            video: None,
            parts: Default::default(),
            variants: None,
        }
        .with_parts()
    }

    /// What a template reads, as JSON with its keys in order (tera's maps have none).
    fn json<T: Serialize>(view: &T) -> String {
        let value = tera::Value::try_from_serializable(view).unwrap();
        serde_json::to_value(&value).unwrap().to_string()
    }

    #[test]
    fn a_step_s_shared_parts_read_as_its_parts_converted_one_by_one() {
        for full in [true, false] {
            let shared = step(full);
            assert!(shared.parts.own);
            let mut separate = shared.clone();
            separate.parts.own = false;
            assert_eq!(json(&shared), json(&separate), "full: {full}");
        }
        // The comparison sees the parts: a step whose parts lost their screenshot reads otherwise.
        let mut changed = step(true);
        changed.parts.screenshot.clear();
        changed.parts.own = false;
        assert_ne!(json(&step(true)), json(&changed));
    }

    #[test]
    fn a_step_split_by_platform_keeps_its_own_parts() {
        // The parts variants make are not the step's own: they must be read as they are.
        let mut split = step(true);
        split.parts.own = false;
        split.parts.action[0].value = Some(prose("On **iPhone**, select Next."));
        let text = json(&split);
        assert!(
            text.contains("On <strong>iPhone</strong>, select Next."),
            "{text}"
        );
        assert!(text.contains("Select <strong>Next</strong>."), "{text}");
    }

    #[test]
    fn each_language_s_ui_strings_are_its_own_and_stay_so() {
        let en = Catalog::builtin("en").unwrap();
        let da = Catalog::builtin("da").unwrap();
        for _ in 0..2 {
            for catalog in [&en, &da] {
                assert_eq!(
                    json(catalog),
                    serde_json::to_value(catalog.strings()).unwrap().to_string()
                );
            }
        }
        assert_ne!(en.get("guide.contents"), da.get("guide.contents"));
    }

    #[test]
    fn a_shared_device_reads_as_its_own_language_s() {
        // The same device in two languages, and more devices than a thread keeps: each step
        // reads its own label, however often and in whatever order they are converted.
        let device = |n: usize, text: &str| DeviceView {
            id: format!("phone-{n}"),
            label: label(text),
            ..step(false).device
        };
        let mut devices = Vec::new();
        for n in 0..SHARED_DEVICES + 8 {
            devices.push(device(n % 4, &format!("Telefon {n}")));
            devices.push(device(n % 4, &format!("Phone {n}")));
        }
        for _ in 0..3 {
            for device in &devices {
                let mut shown = step(false);
                shown.device = device.clone();
                let expected = serde_json::to_value(device).unwrap().to_string();
                let text = json(&shown);
                assert!(text.contains(&expected), "{text} lacks {expected}");
            }
        }
    }
}
