fn main() {
    // A panic prints its message in the browser console rather than "unreachable".
    console_error_panic_hook::set_once();
    yew::Renderer::<foobar_lab::App>::new().render();
}
