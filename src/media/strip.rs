//! Location privacy: the metadata of a published raster image removed
//! without re-encoding it. A JPEG loses its EXIF, XMP, IPTC (Photoshop
//! APP13) segments and comments; a PNG its `eXIf` and text chunks; a WebP
//! its `EXIF` and `XMP ` chunks. Pixels, colour profiles (ICC) and JFIF
//! or Adobe markers stay byte for byte. Only the EXIF orientation is
//! kept (in a minimal EXIF block of its own), so a photo taken sideways
//! still displays upright.

use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::riff::RiffContent;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

use super::Format;

/// What stripping found and left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    pub bytes: Vec<u8>,
    /// The image carried a GPS position (EXIF GPS tags, or XMP ones).
    pub had_location: bool,
}

/// Removes the metadata of `bytes`, an image in `format`. Bytes that do
/// not parse as that format are returned as they are (the build has
/// already reported them as a bad image when they are used).
pub fn strip(bytes: &[u8], format: Format) -> Stripped {
    let had_location = has_location(bytes, format);
    let data = Bytes::copy_from_slice(bytes);
    let out = match format {
        Format::Jpeg => Jpeg::from_bytes(data).ok().map(|mut jpeg| {
            let orientation = jpeg.exif().and_then(|e| orientation(&e));
            jpeg.segments_mut()
                .retain(|s| !matches!(s.marker(), markers::APP1 | markers::APP13 | markers::COM));
            if let Some(o) = orientation.filter(|&o| o != 1) {
                jpeg.set_exif(Some(orientation_exif(o)));
            }
            jpeg.encoder().bytes()
        }),
        Format::Png => Png::from_bytes(data).ok().map(|mut png| {
            png.chunks_mut()
                .retain(|c| !matches!(&c.kind(), b"eXIf" | b"tEXt" | b"iTXt" | b"zTXt"));
            png.encoder().bytes()
        }),
        Format::WebP => WebP::from_bytes(data).ok().map(|mut webp| {
            let orientation = webp.exif().and_then(|e| orientation(&e));
            webp.set_exif(None);
            webp.remove_chunks_by_id(*b"XMP ");
            if let Some(o) = orientation.filter(|&o| o != 1) {
                webp.set_exif(Some(orientation_exif(o)));
            }
            clear_vp8x_flags(&mut webp);
            webp.encoder().bytes()
        }),
    };
    Stripped {
        bytes: out.map(|b| b.to_vec()).unwrap_or_else(|| bytes.to_vec()),
        had_location,
    }
}

/// Whether the image carries a position: a GPS field in its EXIF, or a
/// GPS property in its XMP.
pub fn has_location(bytes: &[u8], format: Format) -> bool {
    let data = Bytes::copy_from_slice(bytes);
    let (exif, xmp_like): (Option<Bytes>, Vec<Bytes>) = match format {
        Format::Jpeg => match Jpeg::from_bytes(data) {
            Ok(j) => (
                j.exif(),
                j.segments()
                    .iter()
                    .filter(|s| s.marker() == markers::APP1)
                    .map(|s| s.contents().clone())
                    .collect(),
            ),
            Err(_) => return false,
        },
        Format::Png => match Png::from_bytes(data) {
            Ok(p) => (
                p.exif(),
                p.chunks()
                    .iter()
                    .filter(|c| matches!(&c.kind(), b"tEXt" | b"iTXt" | b"zTXt"))
                    .map(|c| c.contents().clone())
                    .collect(),
            ),
            Err(_) => return false,
        },
        Format::WebP => match WebP::from_bytes(data) {
            Ok(w) => (
                w.exif(),
                w.chunks_by_id(*b"XMP ")
                    .filter_map(|c| c.content().data().cloned())
                    .collect(),
            ),
            Err(_) => return false,
        },
    };
    let gps_in_exif = exif.is_some_and(|e| {
        read_exif(&e).is_some_and(|e| e.fields().any(|f| f.tag.context() == exif::Context::Gps))
    });
    gps_in_exif
        || xmp_like.iter().any(|x| {
            memchr::memmem::find(x, b"GPSLatitude").is_some()
                || memchr::memmem::find(x, b"GPSLongitude").is_some()
        })
}

/// Reads an EXIF block, keeping what parses of a damaged one: common
/// writers (piexif, some phones) leave a sub-IFD's "next IFD" offset set,
/// which a strict read refuses whole, and a position must not go unseen
/// for that.
fn read_exif(exif_data: &[u8]) -> Option<exif::Exif> {
    match exif::Reader::new()
        .continue_on_error(true)
        .read_raw(exif_data.to_vec())
    {
        Ok(e) => Some(e),
        Err(e) => e.distill_partial_result(|_| {}).ok(),
    }
}

/// The VP8X flags of the EXIF and XMP metadata chunks (WebP container
/// specification, "Extended file format").
const VP8X_EXIF: u8 = 0b0000_1000;
const VP8X_XMP: u8 = 0b0000_0100;

/// Clears the VP8X flag of each metadata chunk the WebP no longer has:
/// img-parts keeps the XMP flag when its chunk goes, and a flag that
/// announces a chunk no longer there misleads readers of the file.
fn clear_vp8x_flags(webp: &mut WebP) {
    let mut gone = 0;
    if !webp.has_chunk(*b"EXIF") {
        gone |= VP8X_EXIF;
    }
    if !webp.has_chunk(*b"XMP ") {
        gone |= VP8X_XMP;
    }
    let vp8x = webp.chunks_mut().iter_mut().find(|c| c.id() == *b"VP8X");
    if let Some(RiffContent::Data(data)) = vp8x.map(|c| c.content_mut()) {
        if data.first().is_some_and(|f| f & gone != 0) {
            let mut bytes = data.to_vec();
            bytes[0] &= !gone;
            *data = Bytes::from(bytes);
        }
    }
}

/// The EXIF orientation (1-8) of an EXIF block, if it has one.
fn orientation(exif_data: &[u8]) -> Option<u16> {
    let e = read_exif(exif_data)?;
    let f = e.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    f.value.get_uint(0).and_then(|v| u16::try_from(v).ok())
}

/// A TIFF block (big-endian) with one IFD holding only the orientation.
fn orientation_exif(o: u16) -> Bytes {
    let mut b = Vec::with_capacity(26);
    b.extend_from_slice(b"MM\0\x2A\0\0\0\x08");
    b.extend_from_slice(&1u16.to_be_bytes());
    b.extend_from_slice(&0x0112u16.to_be_bytes());
    b.extend_from_slice(&3u16.to_be_bytes());
    b.extend_from_slice(&1u32.to_be_bytes());
    b.extend_from_slice(&o.to_be_bytes());
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&0u32.to_be_bytes());
    Bytes::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lossless WebP with its metadata chunks added: an EXIF block
    /// with a GPS position when `gps`, and an XMP packet.
    fn webp_with_metadata() -> Vec<u8> {
        let img = image::RgbaImage::from_fn(8, 6, |x, y| {
            image::Rgba([x as u8 * 30, y as u8 * 40, 90, 255])
        });
        let mut plain = Vec::new();
        image::DynamicImage::ImageRgba8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut plain),
                image::ImageFormat::WebP,
            )
            .unwrap();
        let mut webp = WebP::from_bytes(Bytes::from(plain)).unwrap();
        webp.set_exif(Some(orientation_exif(1)));
        webp.chunks_mut().push(img_parts::riff::RiffChunk::new(
            *b"XMP ",
            RiffContent::Data(Bytes::from_static(b"<x:xmpmeta exif:GPSLatitude=\"1\"/>")),
        ));
        // The flags as a writer that adds both chunks sets them.
        clear_vp8x_flags(&mut webp);
        let vp8x = webp
            .chunk_by_id(*b"VP8X")
            .unwrap()
            .content()
            .data()
            .unwrap()
            .to_vec();
        let mut content = vp8x.clone();
        content[0] |= VP8X_EXIF | VP8X_XMP;
        let at = webp
            .chunks()
            .iter()
            .position(|c| c.id() == *b"VP8X")
            .unwrap();
        webp.chunks_mut()[at] =
            img_parts::riff::RiffChunk::new(*b"VP8X", RiffContent::Data(Bytes::from(content)));
        webp.encoder().bytes().to_vec()
    }

    fn vp8x_flags(bytes: &[u8]) -> u8 {
        let webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).unwrap();
        webp.chunk_by_id(*b"VP8X")
            .unwrap()
            .content()
            .data()
            .unwrap()[0]
    }

    #[test]
    fn a_stripped_webp_announces_no_metadata_and_still_decodes() {
        let with = webp_with_metadata();
        assert_eq!(
            vp8x_flags(&with) & (VP8X_EXIF | VP8X_XMP),
            VP8X_EXIF | VP8X_XMP
        );
        assert!(has_location(&with, Format::WebP));
        let out = strip(&with, Format::WebP);
        assert!(out.had_location);
        let webp = WebP::from_bytes(Bytes::copy_from_slice(&out.bytes)).unwrap();
        assert!(!webp.has_chunk(*b"EXIF") && !webp.has_chunk(*b"XMP "));
        let flags = webp
            .chunk_by_id(*b"VP8X")
            .map_or(0, |c| c.content().data().unwrap()[0]);
        assert_eq!(flags & (VP8X_EXIF | VP8X_XMP), 0, "flags {flags:08b}");
        let decoded = image::load_from_memory(&out.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (8, 6));
    }

    #[test]
    fn orientation_block_reads_back() {
        assert_eq!(orientation(&orientation_exif(6)), Some(6));
    }
}
