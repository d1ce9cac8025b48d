//! Resizing: one source image decoded once, resized to each width
//! (Lanczos3, fast_image_resize, largest first, each from the one above)
//! and encoded as WebP and in its own format. Results are kept in the
//! build cache, `.explainer-cache/media/<key>/`, keyed by the source
//! bytes and every setting that changes the output, so a build where
//! nothing changed reads them back and decodes nothing.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use fast_image_resize::{
    images::Image as FirImage, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
};
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::Format;

/// How many images this process has decoded to resize them (for tests
/// and `--verbose`: a build where nothing changed adds none).
pub static DECODED: AtomicUsize = AtomicUsize::new(0);

/// Bump when the output of `resize` changes for the same inputs, so old
/// cache entries are not used.
const PIPELINE_VERSION: u32 = 1;

/// One encoded variant: its width and format, and its bytes.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// The cache key of a source image under the given settings.
pub fn cache_key(source: &[u8], widths: &[u32], formats: &[Format], quality: u8) -> String {
    let settings = crate::render::fingerprint(&(
        PIPELINE_VERSION,
        widths,
        formats.iter().map(|f| f.extension()).collect::<Vec<_>>(),
        quality,
    ));
    format!(
        "{:016x}{:016x}",
        xxhash_rust::xxh3::xxh3_64(source),
        settings
    )
}

fn cached_name(width: u32, format: Format) -> String {
    format!("{width}.{}", format.extension())
}

/// The variants of `source` at `widths` in each of `formats`, from the
/// cache folder `cache` when it has them all, else made (and stored
/// there; a cache that cannot be written only costs the next build time).
/// Returns the variants and whether they came from the cache.
pub fn variants(
    cache: &Path,
    source: &[u8],
    widths: &[u32],
    formats: &[Format],
    quality: u8,
) -> Result<(Vec<Variant>, bool), String> {
    let dir: PathBuf = cache.join(cache_key(source, widths, formats, quality));
    let mut cached = Vec::new();
    'read: for &w in widths {
        for &f in formats {
            match std::fs::read(dir.join(cached_name(w, f))) {
                Ok(bytes) => cached.push(Variant {
                    width: w,
                    format: f,
                    bytes,
                }),
                Err(_) => break 'read,
            }
        }
    }
    if cached.len() == widths.len() * formats.len() {
        return Ok((cached, true));
    }
    let made = resize(source, widths, formats, quality)?;
    let tmp = dir.with_extension("tmp");
    let stored = std::fs::create_dir_all(&tmp).is_ok()
        && made
            .iter()
            .all(|v| std::fs::write(tmp.join(cached_name(v.width, v.format)), &v.bytes).is_ok());
    if stored {
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::rename(&tmp, &dir);
    } else {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok((made, false))
}

/// Decodes `source` (turned upright by its EXIF orientation) and encodes
/// it at each width (px, each at most the image's own) in each format.
pub fn resize(
    source: &[u8],
    widths: &[u32],
    formats: &[Format],
    quality: u8,
) -> Result<Vec<Variant>, String> {
    let reader = ImageReader::new(Cursor::new(source))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    DECODED.fetch_add(1, Ordering::Relaxed);
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let has_alpha = img.color().has_alpha();
    let (pixel, img) = if has_alpha {
        (PixelType::U8x4, DynamicImage::ImageRgba8(img.into_rgba8()))
    } else {
        (PixelType::U8x3, DynamicImage::ImageRgb8(img.into_rgb8()))
    };
    let (w0, h0) = (img.width(), img.height());
    let mut sorted: Vec<u32> = widths.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut out = Vec::new();
    // Each width is made from the next larger one: far less work than
    // from the original each time, and no visible difference at these
    // ratios.
    let mut current: Option<FirImage> = None;
    for w in sorted {
        let w = w.clamp(1, w0);
        let h = ((u64::from(h0) * u64::from(w) + u64::from(w0) / 2) / u64::from(w0)).max(1) as u32;
        let mut dst = FirImage::new(w, h, pixel);
        if w == w0 {
            dst.buffer_mut().copy_from_slice(img.as_bytes());
        } else {
            let result = match &current {
                Some(src) => resizer.resize(src, &mut dst, &options),
                None => resizer.resize(&img, &mut dst, &options),
            };
            result.map_err(|e| e.to_string())?;
        }
        for &f in formats {
            out.push(Variant {
                width: w,
                format: f,
                bytes: encode(dst.buffer(), w, h, has_alpha, f, quality)?,
            });
        }
        current = Some(dst);
    }
    Ok(out)
}

fn encode(
    pixels: &[u8],
    w: u32,
    h: u32,
    alpha: bool,
    format: Format,
    quality: u8,
) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut buf = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb;
            let (pixels, color) = if alpha {
                // JPEG has no alpha: drop it.
                rgb = pixels
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect::<Vec<u8>>();
                (&rgb[..], image::ExtendedColorType::Rgb8)
            } else {
                (pixels, color)
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, quality)
                .write_image(pixels, w, h, color)
                .map_err(|e| e.to_string())?;
        }
        Format::Png => {
            image::codecs::png::PngEncoder::new(&mut buf)
                .write_image(pixels, w, h, color)
                .map_err(|e| e.to_string())?;
        }
        Format::WebP => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(pixels, w, h)
            } else {
                webp::Encoder::from_rgb(pixels, w, h)
            };
            buf = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?
                .to_vec();
        }
    }
    Ok(buf)
}
