fn main() {
    std::process::exit(factlens::cli::main());
}
