//! The conversions every open string enum of the spec has. Each enum writes
//! what depends on the spec (its variants, `as_str` and the conversion from a
//! wire value); the rest is the same for all of them, so it is written once
//! here.

/// For an enum with `as_str(&self) -> &str` and `From<&str>`: `From<String>`
/// (which its `#[serde(from = "String")]` decodes through), `FromStr`,
/// `Display` and `Serialize`, all by the wire value.
macro_rules! string_enum {
    ($name:ident) => {
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
