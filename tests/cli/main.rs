//! One integration-test binary: the real `iep` run in a temporary HOME with a scrubbed
//! environment, plus checks that walk the built-in letters and jurisdictions.

mod browser;
mod case;
mod check;
mod eml;
mod engine;
mod errors;
mod french;
mod holidays;
mod interview;
mod invariants;
mod letters;
mod messages;
mod pack;
mod print;
mod properties;
mod pty;
mod readability;
mod robust;
mod send;
mod serve;
mod smtp_server;
mod smtp_settings;
mod snapshots;
mod support;
mod write;
