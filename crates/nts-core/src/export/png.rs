//! The concept map as a PNG for slides and papers: the SVG figure rasterised by resvg at
//! the requested print size and resolution, on white, with the resolution recorded in the
//! file's pHYs chunk (tiny-skia writes none, so word processors would otherwise assume
//! 72 or 96 dpi and print the figure several times too large).

use super::{svg, ExportOptions, MapGraph};
use crate::error::{Error, Result};
use resvg::tiny_skia;

/// Largest side we agree to render, in pixels (16k × 16k RGBA is already 1 GiB).
const MAX_SIDE: u32 = 16_384;

/// Width in pixels of an image `width_mm` wide at `dpi`.
pub fn pixel_width(opts: &ExportOptions) -> Result<u32> {
    if opts.dpi == 0 || opts.dpi > 2400 {
        return Err(Error::Invalid(format!("dpi {} is out of range; use 72–2400 (300 for print)", opts.dpi)));
    }
    if !opts.width_mm.is_finite() || opts.width_mm < 5.0 || opts.width_mm > 2000.0 {
        return Err(Error::Invalid(format!(
            "image width {} mm is out of range; use 5–2000 mm (170 mm is a full-width A4 figure)",
            opts.width_mm
        )));
    }
    let px = (opts.width_mm * f64::from(opts.dpi) / 25.4).round();
    if px > f64::from(MAX_SIDE) {
        return Err(Error::Invalid(format!(
            "{} mm at {} dpi would be {px} pixels wide; the limit is {MAX_SIDE}: lower the dpi or the width",
            opts.width_mm, opts.dpi
        )));
    }
    Ok((px as u32).max(1))
}

/// PNG bytes of the map.
pub fn render_png(graph: &MapGraph, opts: &ExportOptions) -> Result<Vec<u8>> {
    let width = pixel_width(opts)?;
    let tree = svg::render_tree(graph, opts)?;
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = ((size.height() * scale).ceil() as u32).clamp(1, MAX_SIDE);
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| Error::Internal(format!("cannot allocate a {width}×{height} image")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    encode(&pixmap, opts.dpi)
}

/// Encodes an opaque pixmap as 8-bit RGB with a pHYs chunk for `dpi`.
fn encode(pixmap: &tiny_skia::Pixmap, dpi: u32) -> Result<Vec<u8>> {
    // The background is opaque white, so premultiplied RGBA equals straight RGB.
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let ppm = (f64::from(dpi) / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
        let png_err = |e: png::EncodingError| Error::Internal(format!("PNG encoding failed: {e}"));
        let mut writer = enc.write_header().map_err(png_err)?;
        writer.write_image_data(&rgb).map_err(png_err)?;
        writer.finish().map_err(png_err)?;
    }
    Ok(out)
}
