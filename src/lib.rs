//! guidegen: YAML step guides in, a localized static site of HTML and PDF guides out.
//!
//! The pipeline runs one way: [`load`] → [`validate`] → [`model`] → render ([`view`], [`html`], [`pdf`])
//! → [`write`]. [`build`] strings the stages together; diagnostics from every stage are collected as
//! data ([`diagnostic`]) and rendered once, at the edge.

pub mod address;
pub mod base64;
pub mod build;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod context;
pub mod dates;
pub mod diagnostic;
pub mod embed;
pub mod fallback;
pub mod files;
pub mod grid;
pub mod guidelinks;
pub mod html;
pub mod i18n;
pub mod icons;
pub mod init;
pub mod input;
pub mod languages;
pub mod load;
pub mod markdown;
pub mod model;
pub mod overlay;
pub mod pdf;
pub mod plan;
pub mod qr;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod shots;
pub mod sitemap;
pub mod slot;
pub mod snippets;
pub mod support;
pub mod svg;
pub mod textcheck;
pub mod validate;
pub mod variables;
pub mod variants;
pub mod video;
pub mod view;
pub mod write;
pub mod yamlcheck;
pub mod yamlde;
