fn main() {
    eprintln!("index benchmark: not written yet");
}
