//! Front-matter splitting and parsing (TOML `+++` and YAML `---`) into
//! each section's typed metadata. The first byte chooses the section; the
//! rest is the file. Any outcome but a panic is fine, and an error must
//! point inside the file.
#![no_main]

use std::path::Path;

use explainer::fuzzing::{check_position, parse_page};
use explainer::model::Section;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let section = Section::ALL[usize::from(choice) % Section::ALL.len()];
    let path = Path::new("content").join(section.folder()).join("page.md");
    if let Err(problems) = parse_page(section, &path, text) {
        for d in &problems {
            if let Err(e) = check_position(d, rest) {
                panic!("{e}");
            }
        }
    }
});
