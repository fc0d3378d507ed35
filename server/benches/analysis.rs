fn main() {
    eprintln!("analysis benchmark: not written yet");
}
