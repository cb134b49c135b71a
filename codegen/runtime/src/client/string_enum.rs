//! The conversions every open string enum of the spec has. Each enum writes
//! what depends on the spec (its variants, `LISTED` and `as_str`); the rest
//! is the same for all of them, so it is written once here, and with it the
//! one rule for reading a value, whether decoded or converted.

/// For an enum with `LISTED` (its listed variants), `as_str(&self) -> &str`
/// and an `$unknown(String)` variant: `From<&str>` and `From<String>` (which
/// its `#[serde(from = "String")]` decodes through), `FromStr`, `Display` and
/// `Serialize`, all by the wire value.
///
/// A value is the listed variant whose wire value it is; failing that, the
/// one listed variant it equals ignoring ASCII case (`completed` is
/// `Completed`), unless two listed values differ only in case; failing that,
/// `$unknown`, keeping the value as received.
macro_rules! string_enum {
    ($name:ident, $unknown:ident) => {
        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                let exact = Self::LISTED.iter().find(|listed| listed.as_str() == value);
                let folded = || {
                    let mut found = Self::LISTED.iter().filter(|listed| listed.as_str().eq_ignore_ascii_case(value));
                    match (found.next(), found.next()) {
                        (Some(listed), None) => Some(listed),
                        _ => None,
                    }
                };
                match exact.or_else(folded) {
                    Some(listed) => listed.clone(),
                    None => Self::$unknown(value.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use string_enum;
