//! The `explainer` command; everything it does lives in the library.

// A build allocates many small strings on both cores at once. With
// glibc's allocator a 100,000-article build spent a third of its time in
// malloc and grew three times slower per page than a 10,000-article one;
// mimalloc keeps the cost per page flat (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(explainer::cli::main());
}
