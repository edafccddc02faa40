//! The JSON Schemas `guidegen schema` writes: the example site's files pass them, a misspelled key
//! fails them; `init` and `new` point their files at them.

mod common;

use std::path::Path;

use common::*;

/// The YAML file at `path` as JSON, as an editor's YAML support sees it: plain `true`, `false`,
/// numbers and `null` as such, everything else as text.
fn yaml_as_json(path: &Path) -> serde_json::Value {
    use guidegen::yamlcheck::{Node, NodeKind};
    fn convert(node: &Node) -> serde_json::Value {
        match &node.kind {
            NodeKind::Null | NodeKind::Alias => serde_json::Value::Null,
            NodeKind::Scalar { value, plain, .. } => {
                if *plain {
                    if let Ok(b) = value.parse::<bool>() {
                        return b.into();
                    }
                    if let Ok(i) = value.parse::<i64>() {
                        return i.into();
                    }
                    if let Some(f) = value.parse::<f64>().ok().filter(|f| f.is_finite()) {
                        return f.into();
                    }
                }
                value.clone().into()
            }
            NodeKind::Seq(items) => items.iter().map(convert).collect(),
            NodeKind::Map(entries) => entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.kind {
                        NodeKind::Scalar { value, .. } => value.clone(),
                        _ => String::new(),
                    };
                    (key, convert(v))
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let Ok((root, _)) = guidegen::yamlcheck::tree(&text) else {
        panic!("{} is not YAML", path.display());
    };
    convert(&root)
}

fn validator(schema: &Path) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema).expect("schema")).expect("JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn errors(validator: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_example_site_passes_the_generated_schemas_and_a_misspelled_key_fails_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).expect("site");
    let written = run(&[&"schema", &site]);
    written.expect_code(0);
    let site_schema = validator(&site.join("schemas/guidegen.schema.json"));
    let guide_schema = validator(&site.join("schemas/guide.schema.json"));

    let example = example_site();
    let settings = yaml_as_json(&example.join("guidegen.yaml"));
    assert_eq!(errors(&site_schema, &settings), Vec::<String>::new());
    let mut guides = 0;
    for entry in walkdir::WalkDir::new(example.join("guides")) {
        let entry = entry.expect("entry");
        if entry.file_name() == "guide.yaml" {
            let guide = yaml_as_json(entry.path());
            assert_eq!(
                errors(&guide_schema, &guide),
                Vec::<String>::new(),
                "{}",
                entry.path().display()
            );
            guides += 1;
        }
    }
    assert!(guides >= 3, "the example guides were found");
    // A snippet is written as a guide holding only `steps:`: the guide schema describes it.
    let snippet = yaml_as_json(&example.join("snippets/approve-sign-in.yaml"));
    assert_eq!(errors(&guide_schema, &snippet), Vec::<String>::new());

    let mut misspelled = settings.clone();
    let object = misspelled.as_object_mut().expect("a map");
    let organization = object.remove("organization").expect("organization");
    object.insert("organisation".into(), organization);
    assert!(!errors(&site_schema, &misspelled).is_empty());

    let mut misspelled = yaml_as_json(&example.join("guides/password-reset/guide.yaml"));
    let path = if misspelled.pointer("/sections/0/steps/0").is_some() {
        "/sections/0/steps/0"
    } else {
        "/steps/0"
    };
    let step = misspelled
        .pointer_mut(path)
        .and_then(|s| s.as_object_mut())
        .expect("a first step");
    let action = step.remove("action").expect("action");
    step.insert("acton".into(), action);
    let found = errors(&guide_schema, &misspelled);
    assert!(found.iter().any(|e| e.contains("acton")), "{found:?}");
}

#[test]
fn init_and_new_write_the_yaml_language_server_lines_and_the_schemas() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    run(&[&"init", &site, &"--lang", &"da", &"--lang", &"en"]).expect_code(0);
    run(&[&"new", &"vpn-setup", &site]).expect_code(0);
    for (file, line) in [
        (
            "guidegen.yaml",
            "# yaml-language-server: $schema=schemas/guidegen.schema.json",
        ),
        (
            "guides/first-guide/guide.yaml",
            "# yaml-language-server: $schema=../../schemas/guide.schema.json",
        ),
        (
            "guides/vpn-setup/guide.yaml",
            "# yaml-language-server: $schema=../../schemas/guide.schema.json",
        ),
    ] {
        let text = std::fs::read_to_string(site.join(file)).expect("file");
        assert_eq!(text.lines().next(), Some(line), "{file}");
        // The line's path, taken from the file's folder, is the schema.
        let target = line.rsplit('=').next().expect("path");
        let schema = site.join(file).parent().expect("folder").join(target);
        assert!(schema.is_file(), "{}", schema.display());
        let value = yaml_as_json(&site.join(file));
        assert_eq!(
            errors(&validator(&schema), &value),
            Vec::<String>::new(),
            "{file}"
        );
    }
    run(&[&"check", &site]).expect_code(0);
}
