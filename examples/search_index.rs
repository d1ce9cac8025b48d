//! Times the search index of a site, step by step.
//!
//!     cargo run --release --example search_index -- SITE_DIR
//!
//! Loads and resolves SITE_DIR, then prints how long making the records
//! takes, adding them to Pagefind, and Pagefind building the bundle, with
//! the bundle's size: first as one index, then as the build makes it (in
//! shards, see `explainer::search::bundle`).

use std::time::Instant;

use explainer::load::{load, LoadOptions};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: search_index SITE_DIR"),
    );
    let (loaded, _) = load(&root, &LoadOptions::default());
    let site = explainer::resolve::resolve(&loaded).expect("site resolves");
    let clock = Instant::now();
    let records = explainer::search::records(&site);
    let sharded = records.clone();
    println!(
        "records: {} in {:.2} s",
        records.len(),
        clock.elapsed().as_secs_f64()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language("en".into())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).unwrap();
        let clock = Instant::now();
        for r in records {
            index
                .add_custom_record(
                    r.url,
                    r.content,
                    "en".into(),
                    Some(r.meta),
                    Some(r.filters),
                    Some(r.sort),
                )
                .await
                .unwrap();
        }
        println!("added in {:.2} s", clock.elapsed().as_secs_f64());
        let clock = Instant::now();
        index.build_indexes().await.unwrap();
        println!("indexes built in {:.2} s", clock.elapsed().as_secs_f64());
        let clock = Instant::now();
        let files = index.get_files().await.unwrap();
        let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
        println!(
            "files: {} ({:.1} MiB) in {:.2} s",
            files.len(),
            bytes as f64 / 1048576.0,
            clock.elapsed().as_secs_f64()
        );
    });
    let clock = Instant::now();
    let files = explainer::search::bundle(sharded, "en").unwrap();
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "in shards of {}: {} files ({:.1} MiB) in {:.2} s",
        explainer::search::SHARD_PAGES,
        files.len(),
        bytes as f64 / 1048576.0,
        clock.elapsed().as_secs_f64()
    );
}
