/// The content of a file: a value the spec types as `format: binary`, such
/// as a `multipart/form-data` part, held as bytes so any file can be sent.
///
/// Serialized as bytes: a multipart part carries them unchanged. In JSON,
/// which has no bytes, they are an array of numbers (a spec that means text
/// there says `type: string` without `format: binary`, or `format: byte` for
/// base64). Read from bytes, such an array, or a string (its UTF-8 bytes, as
/// the spec's examples write files).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct FileContent(pub Vec<u8>);

impl FileContent {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for FileContent {
    /// The size, not the content, which may be large and is rarely text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileContent({} bytes)", self.0.len())
    }
}

impl std::fmt::Display for FileContent {
    /// The content as text, invalid UTF-8 replaced (for a parameter or a
    /// header, where the spec's `format: binary` means text).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

impl std::str::FromStr for FileContent {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(text.as_bytes().to_vec()))
    }
}

impl From<Vec<u8>> for FileContent {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for FileContent {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for FileContent {
    fn from(bytes: &[u8; N]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<String> for FileContent {
    fn from(text: String) -> Self {
        Self(text.into_bytes())
    }
}

impl From<&str> for FileContent {
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

impl serde::Serialize for FileContent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for FileContent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FileContent;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a file's content: bytes, an array of bytes or a string")
            }

            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<FileContent, E> {
                Ok(FileContent(bytes.to_vec()))
            }

            fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<FileContent, E> {
                Ok(FileContent(bytes))
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<FileContent, E> {
                Ok(FileContent(text.as_bytes().to_vec()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FileContent, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(FileContent(bytes))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}
