//! The conversions every open integer enum of the spec has. Each enum writes
//! what depends on the spec (its variants, `as_i64` and the conversion from a
//! wire value); the rest is the same for all of them, so it is written once
//! here.

/// For an enum with `as_i64(self) -> i64` (and `From<i64>`, which its
/// `#[serde(from = "i64")]` decodes through): `Display` and `Serialize`, by
/// the wire value.
macro_rules! integer_enum {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.as_i64())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }
    };
}

pub(crate) use integer_enum;
