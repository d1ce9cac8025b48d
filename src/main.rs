fn main() {
    std::process::exit(explainer::cli::main());
}
