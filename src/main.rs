//! The `explainer` command; everything it does lives in the library.

// A build allocates many small strings on both cores at once. With
// glibc's allocator a 100,000-article build spent a third of its time in
// malloc and grew three times slower per page than a 10,000-article one;
// mimalloc keeps the cost per page flat (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    keep_freed_memory();
    smaller_word_chunks();
    std::process::exit(explainer::cli::main());
}

/// Pagefind cuts each index's word list into chunks of about 20,000 word
/// locations, and a query fetches the chunk holding each of its words from
/// every shard of the index (`explainer::search::SHARD_PAGES`): with 12
/// shards, 12 chunks, mostly other words. Chunks of 3,000 locations took
/// the bytes of a first query on the 10k corpus from 675 KiB to 498 KiB
/// (BENCHMARKS.md, Search). Pagefind reads the size only from this
/// variable, when an index is created; it is set here, before any thread
/// starts (setting the environment while other threads may read it is not
/// safe), unless the user set it.
fn smaller_word_chunks() {
    const VAR: &str = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE";
    if std::env::var_os(VAR).is_none() {
        std::env::set_var(VAR, "3000");
    }
}

/// `mi_option_purge_delay` in mimalloc.h (the same in its v2 and v3); the
/// Rust bindings name no constant for it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// Its defaults, in milliseconds: 1000 in mimalloc v3 (the one built
/// here), 10 in v2.
const PURGE_DELAY_DEFAULTS: [std::os::raw::c_long; 2] = [1000, 10];

/// By default mimalloc hands memory back to the system a moment after it
/// was freed, and a build, which frees and allocates all the time, then takes it back
/// as fresh pages the kernel must zero: about 3.4 GB zeroed in a
/// 10,000-article build that never holds more than 300 MB. Keeping freed
/// memory saves about 3% of the build; peak memory stays the same. Left
/// alone if the option is not the one expected (another mimalloc) or the
/// user set `MIMALLOC_PURGE_DELAY`.
fn keep_freed_memory() {
    // SAFETY: plain reads and writes of mimalloc's option table.
    unsafe {
        if PURGE_DELAY_DEFAULTS.contains(&libmimalloc_sys::mi_option_get(PURGE_DELAY))
            && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
        {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_where_we_expect_it() {
        // Another mimalloc with the options renumbered would fail here
        // rather than have a different option changed silently.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert!(
            super::PURGE_DELAY_DEFAULTS.contains(&default)
                || std::env::var_os("MIMALLOC_PURGE_DELAY").is_some(),
            "option {} is {default}",
            super::PURGE_DELAY
        );
    }
}
