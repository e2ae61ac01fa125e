//! Delivering a letter: the `.eml` file a mail program opens (RFC 5322, built with lettre).
//!
//! Save first, send second: the `.eml` and the record exist before any connection, so a
//! family can always open the letter in their own mail program, whatever the network does.

pub mod eml;
pub mod smtp;
