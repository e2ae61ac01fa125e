//! "Did you mean …?" for mistyped letter, jurisdiction and answer names.

/// The known name closest to `input`, if one is close enough to be a likely typo.
pub fn closest<'a>(input: &str, known: &'a [String]) -> Option<&'a str> {
    let input = input.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&input, &k.to_lowercase()), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_names() {
        let known = [
            "ontario".to_owned(),
            "new-zealand".to_owned(),
            "quebec".to_owned(),
        ];
        assert_eq!(closest("ontaro", &known), Some("ontario"));
        assert_eq!(closest("Quebec", &known), Some("quebec"));
        assert_eq!(closest("newzealand", &known), Some("new-zealand"));
        assert_eq!(closest("texas", &known), None);
    }
}
