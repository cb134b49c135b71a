//! Every Rust name the generator emits is made here.
//!
//! Spec names can be anything: keywords, leading digits, punctuation, non-ASCII,
//! or two names that become the same after case conversion. The functions below
//! turn any text into a valid, idiomatic ASCII identifier, and [`Namespace`]
//! makes names distinct within one scope. The wire names are never changed; the
//! emitters keep them beside the Rust names (`#[serde(rename = ...)]`).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (all editions, strict and reserved).
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super",
    "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while",
    "yield",
];

/// Type names the generated code uses unqualified (the prelude), or that the crate
/// defines itself: a type of the same name would shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Client",
    "ClientBuilder",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "Error",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// A type name (UpperCamelCase) for any text.
pub fn type_name(raw: &str) -> String {
    let name = upper_camel(raw, "T");
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) { format!("{name}Model") } else { name }
}

/// An enum variant name (UpperCamelCase) for a value such as `"in-progress"`, `"1"` or `""`.
pub fn variant_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_owned();
    }
    let name = upper_camel(raw, "V");
    // `Self` cannot name a variant; other keywords are lowercase and cannot clash.
    if name == "Self" { "SelfValue".to_owned() } else { name }
}

/// A field, parameter or method name (snake_case) for any text.
pub fn snake_name(raw: &str) -> String {
    let words = ascii_words(raw);
    let mut name = words.to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) || name == "_" {
        name.push('_');
    }
    name
}

/// A constant name (SCREAMING_SNAKE_CASE) for any text.
pub fn constant_name(raw: &str) -> String {
    let name = snake_name(raw).trim_matches('_').to_ascii_uppercase();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) { format!("V{name}") } else { name }
}

/// A plain (non-raw) or raw Rust identifier that is not a bare keyword.
pub fn is_identifier(name: &str) -> bool {
    // Most names are plain ASCII words: told apart without lexing them.
    let ascii_word = name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
        && name.bytes().next().is_some_and(|first| !first.is_ascii_digit());
    if ascii_word && !MAY_BE_KEYWORDS.contains(&name) {
        return true;
    }
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// Every word that is or may become a Rust keyword, and `_`: such a name is
/// left to syn to judge.
const MAY_BE_KEYWORDS: &[&str] = &[
    "_",
    "abstract",
    "as",
    "async",
    "await",
    "become",
    "box",
    "break",
    "const",
    "continue",
    "crate",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "macro_rules",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "pub",
    "raw",
    "ref",
    "return",
    "safe",
    "Self",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "union",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
];

/// A Cargo package name (kebab-case) for an API title.
/// Whether `name` is a valid Cargo package name as this generator writes
/// them: ASCII letters, digits, `-` and `_`, starting with a letter.
pub fn is_package_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 64
}

pub fn crate_name(title: &str) -> String {
    let name = snake_name(title).trim_matches('_').replace('_', "-");
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}").trim_end_matches('-').to_owned()
    } else {
        format!("{name}-client")
    }
}

fn upper_camel(raw: &str, digit_prefix: &str) -> String {
    let words = ascii_words(raw);
    let mut name = words.to_upper_camel_case();
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, digit_prefix);
    }
    name
}

/// Rewrites any text as ASCII words separated by spaces, for heck to case.
///
/// Letters with accents lose them, other non-ASCII characters become their
/// code point (`U4E2D`), and text made only of symbols is spelled out
/// (`">="` becomes `"gt eq"`) so that such values stay distinct.
fn ascii_words(raw: &str) -> String {
    let has_alphanumeric = raw.chars().any(char::is_alphanumeric);
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(plain) = fold_latin(c) {
            out.push_str(plain);
        } else if !c.is_ascii() && c.is_alphanumeric() {
            out.push_str(&format!(" U{:04X} ", u32::from(c)));
        } else if !has_alphanumeric && !c.is_ascii() {
            // Emoji and other symbols: their code point keeps values distinct.
            out.push_str(&format!(" U{:04X} ", u32::from(c)));
        } else if !has_alphanumeric {
            out.push(' ');
            out.push_str(symbol_word(c));
            out.push(' ');
        } else {
            out.push(' ');
        }
    }
    out
}

fn symbol_word(c: char) -> &'static str {
    match c {
        '+' => "plus",
        '-' => "minus",
        '*' => "star",
        '/' => "slash",
        '\\' => "backslash",
        '<' => "lt",
        '>' => "gt",
        '=' => "eq",
        '!' => "not",
        '&' => "and",
        '|' => "or",
        '^' => "caret",
        '~' => "tilde",
        '%' => "percent",
        '$' => "dollar",
        '#' => "hash",
        '@' => "at",
        '.' => "dot",
        ',' => "comma",
        ':' => "colon",
        ';' => "semicolon",
        '?' => "question",
        '\'' => "quote",
        '"' => "double quote",
        '(' | ')' => "paren",
        '[' | ']' => "bracket",
        '{' | '}' => "brace",
        '_' => "underscore",
        ' ' => "space",
        _ => "symbol",
    }
}

/// Latin letters with diacritics, folded to their ASCII base letters.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ł' | 'ľ' | 'ĺ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'ř' | 'ŕ' => "r",
        'Ř' | 'Ŕ' => "R",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'þ' => "th",
        'Þ' => "TH",
        'ð' => "d",
        'Ð' => "D",
        _ => return None,
    })
}

/// The names already taken in one scope (a module, a struct, an enum, a method's
/// parameters). Claiming a taken name gives it a numeric suffix instead.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace in which `names` are already taken (e.g. a client's own methods).
    pub fn with_reserved<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self { taken: names.into_iter().map(str::to_owned).collect() }
    }

    /// Takes `candidate`, or the first of `candidate2`, `candidate3`, ... that is
    /// free (`candidate_2`, ... for snake_case names).
    pub fn claim(&mut self, candidate: String) -> String {
        if self.taken.insert(candidate.clone()) {
            return candidate;
        }
        let snake = candidate.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let stem = candidate.trim_end_matches('_');
        // Each try takes a number no earlier try used, and the set is finite,
        // so a free name comes up.
        let mut n: u64 = 2;
        loop {
            let next = if snake { format!("{stem}_{n}") } else { format!("{stem}{n}") };
            if self.taken.insert(next.clone()) {
                return next;
            }
            n += 1;
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_identifiers() {
        assert!(is_identifier("payments_export"));
        assert!(is_identifier("r#type"));
        assert!(!is_identifier("type"));
        assert!(!is_identifier("3d"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("a-b"));
        // The quick answer for ASCII words is syn's answer.
        let words =
            MAY_BE_KEYWORDS.iter().flat_map(|word| [(*word).to_owned(), format!("r#{word}"), format!("{word}_")]);
        let others = ["_x", "x1", "X", "__", "self_", "Self", "r#Self", "r#_", "r#3", "café", "a b", "1", "é"];
        for name in words.chain(others.iter().map(|name| (*name).to_owned())) {
            assert_eq!(is_identifier(&name), syn::parse_str::<syn::Ident>(&name).is_ok(), "{name}");
        }
    }

    fn assert_ident(name: &str) {
        assert!(is_identifier(name), "{name:?} is not a valid identifier");
        assert!(name.is_ascii(), "{name:?} is not ASCII");
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("paymentsExportRequest"), "PaymentsExportRequest");
        assert_eq!(type_name("ms-correlation.id"), "MsCorrelationId");
        assert_eq!(type_name("3dSecure"), "T3dSecure");
        assert_eq!(type_name("String"), "StringModel");
        assert_eq!(type_name("Client"), "ClientModel");
        assert_eq!(type_name("self"), "SelfModel");
        assert_eq!(type_name("Größe"), "Grosse");
        assert_eq!(type_name("中文"), "U4e2dU6587");
        assert_eq!(type_name(""), "Value");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("Queued"), "Queued");
        assert_eq!(variant_name("in-progress"), "InProgress");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name(">="), "GtEq");
        assert_eq!(variant_name("-"), "Minus");
        assert_eq!(variant_name("Self"), "SelfValue");
        assert_eq!(variant_name("🎉"), "U1f389");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_name("$filter"), "filter");
        assert_eq!(snake_name("MS-CorrelationId"), "ms_correlation_id");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("1st"), "_1st");
        assert_eq!(snake_name("@id"), "id");
        assert_eq!(snake_name("a b"), "a_b");
        assert_eq!(snake_name(""), "value");
        assert_eq!(snake_name("_"), "underscore");
        assert_eq!(constant_name("CSP Indirect Provider"), "CSP_INDIRECT_PROVIDER");
        assert_eq!(constant_name("1T"), "V1T");
        assert_eq!(constant_name("type"), "TYPE");
    }

    #[test]
    fn every_name_is_a_valid_identifier() {
        let samples = [
            "",
            " ",
            "_",
            "__",
            "$",
            "$ref",
            "@type",
            "1",
            "1.5",
            "-1",
            "+",
            "type",
            "Self",
            "self",
            "super",
            "crate",
            "async",
            "gen",
            "中文",
            "Größe",
            "a-b.c d",
            "x__y",
            "ñ",
            "emoji 🎉",
            "UPPER",
            "snake_case",
            "kebab-case",
            "\u{0}",
            "ᾯ",
            "\u{200b}",
        ];
        for raw in samples {
            assert_ident(&type_name(raw));
            assert_ident(&variant_name(raw));
            assert_ident(&snake_name(raw));
            assert_ident(&constant_name(raw));
        }
    }

    #[test]
    fn namespaces_make_names_distinct() {
        let mut scope = Namespace::new();
        assert_eq!(scope.claim(snake_name("userId")), "user_id");
        assert_eq!(scope.claim(snake_name("user_id")), "user_id_2");
        assert_eq!(scope.claim(snake_name("UserID")), "user_id_3");
        assert_eq!(scope.claim(snake_name("type")), "type_");
        assert_eq!(scope.claim(snake_name("type")), "type_2");
        let mut types = Namespace::with_reserved(["Client"]);
        assert_eq!(types.claim("Client".to_owned()), "Client2");
    }
}
