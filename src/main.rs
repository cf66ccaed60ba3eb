fn main() {
    // A panic prints its message in the console and shows an overlay with a reset.
    foobar_lab::robust::install_panic_hook();
    yew::Renderer::<foobar_lab::App>::new().render();
}
