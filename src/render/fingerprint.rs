//! Fingerprints of serialisable inputs (page views, digests): the value is
//! fed to an xxh3 hasher through a serde `Serializer` that writes each
//! string's length and bytes as they are. Serialising to JSON instead
//! scanned every string for characters to escape, a few per cent of a cold
//! build. Every value is tagged and every string and sequence carries its
//! length, so two different values never feed the hasher the same bytes.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// The xxh3 hash of `value`'s serde data model.
pub fn fingerprint(value: &impl Serialize) -> u64 {
    let mut hasher = Xxh3::new();
    match value.serialize(&mut Feed(&mut hasher)) {
        Ok(()) => hasher.digest(),
        // Only a `Serialize` impl that fails by itself gets here. A value
        // hashed in part must never pass for an unchanged one: this
        // fingerprint matches nothing, so the page is rendered again.
        Err(Never) => {
            static UNIQUE: AtomicU64 = AtomicU64::new(0);
            let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
            xxhash_rust::xxh3::xxh3_64(
                &[&n.to_le_bytes()[..], &std::process::id().to_le_bytes()].concat(),
            ) ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
        }
    }
}

struct Feed<'h>(&'h mut Xxh3);

impl Feed<'_> {
    fn tag(&mut self, tag: u8) {
        self.0.update(&[tag]);
    }

    fn bytes(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag);
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn number(&mut self, tag: u8, le_bytes: &[u8]) {
        self.tag(tag);
        self.0.update(le_bytes);
    }
}

#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("value could not be fingerprinted")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

// Tags of the data model; a compound's elements end with `END`.
const UNIT: u8 = 0;
const BOOL: u8 = 1;
const INT: u8 = 2;
const UINT: u8 = 3;
const FLOAT: u8 = 4;
const CHAR: u8 = 5;
const STR: u8 = 6;
const BYTES: u8 = 7;
const NONE: u8 = 8;
const SOME: u8 = 9;
const SEQ: u8 = 10;
const MAP: u8 = 11;
const VARIANT: u8 = 12;
const END: u8 = 13;

impl ser::Serializer for &mut Feed<'_> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Never> {
        self.number(BOOL, &[v as u8]);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Never> {
        self.number(INT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Never> {
        self.number(UINT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Never> {
        self.number(INT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Never> {
        self.number(UINT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Never> {
        self.number(FLOAT, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Never> {
        self.number(CHAR, &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.bytes(STR, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Never> {
        self.bytes(BYTES, v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        self.tag(NONE);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Never> {
        self.tag(SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        self.tag(UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Never> {
        self.bytes(VARIANT, variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        self.bytes(VARIANT, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.bytes(VARIANT, variant.as_bytes());
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(MAP);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.bytes(VARIANT, variant.as_bytes());
        self.serialize_map(None)
    }
}

/// Elements of every compound: sequences, tuples, maps and structs alike,
/// closed by `END` so that nesting is unambiguous.
macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                self.tag(END);
                Ok(())
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Feed<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Never> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        self.tag(END);
        Ok(())
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Never> {
                // Names count: a field left out (`skip_serializing_if`)
                // must not let the next one pass for it.
                self.bytes(STR, key.as_bytes());
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                self.tag(END);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct View<'a> {
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        summary: Option<&'a str>,
        tags: Vec<&'a str>,
    }

    struct Fails;

    impl Serialize for Fails {
        fn serialize<S: ser::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(ser::Error::custom("no"))
        }
    }

    #[test]
    fn a_value_that_cannot_be_hashed_matches_nothing() {
        assert_ne!(fingerprint(&("a", Fails)), fingerprint(&("a", Fails)));
    }

    #[test]
    fn different_values_differ() {
        let fp = |title, summary, tags| {
            fingerprint(&View {
                title,
                summary,
                tags,
            })
        };
        let base = fp("a", None, vec!["x", "y"]);
        assert_eq!(base, fp("a", None, vec!["x", "y"]), "stable");
        for other in [
            fp("b", None, vec!["x", "y"]),
            fp("a", Some(""), vec!["x", "y"]),
            fp("a", None, vec!["xy"]),
            fp("a", None, vec!["x", "y", ""]),
            fp("a", None, vec!["y", "x"]),
            fp("a\"", None, vec!["x", "y"]),
        ] {
            assert_ne!(base, other);
        }
        // Nesting and neighbouring strings cannot be confused.
        assert_ne!(fingerprint(&("ab", "c")), fingerprint(&("a", "bc")));
        assert_ne!(
            fingerprint(&(vec![vec![1]], 2)),
            fingerprint(&(vec![vec![1, 2]],))
        );
        assert_ne!(fingerprint(&Some(1u8)), fingerprint(&1u8));
        // 128-bit numbers (the program's identity holds one) count too.
        assert_ne!(fingerprint(&(1u128, "a")), fingerprint(&(1u128, "b")));
        assert_ne!(fingerprint(&(1u128, "a")), fingerprint(&(2u128, "a")));
    }
}
