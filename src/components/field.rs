//! A number box that can be typed into while the lab runs: what the user types is
//! theirs until they press Enter or leave the field, however often the page is drawn again
//! from the world meanwhile; then the value is applied, or refused with a message beside the
//! field, which shows the value in force again.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    pub id: AttrValue,
    /// The value in force, as the world has it.
    pub value: AttrValue,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or(AttrValue::Static("any"))]
    pub step: AttrValue,
    #[prop_or_default]
    pub min: Option<AttrValue>,
    #[prop_or_default]
    pub max: Option<AttrValue>,
    #[prop_or_default]
    pub class: Option<AttrValue>,
    /// The real option's name, for tests and styles (`data-option`).
    #[prop_or_default]
    pub option: Option<AttrValue>,
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
    /// Applies what was typed; the message to show beside the field if it was refused.
    pub commit: Callback<String, Result<(), String>>,
}

fn input_of(e: &Event) -> Option<HtmlInputElement> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
}

#[component]
pub fn NumberField(props: &NumberFieldProps) -> Html {
    // What is being typed, until it is applied or refused.
    let draft = use_state(|| None::<String>);
    let refusal = use_state(|| None::<String>);
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                draft.set(Some(i.value()));
            }
        })
    };
    // `change` comes on Enter and when the field is left with a new value.
    let onchange = {
        let (draft, refusal, commit) = (draft.clone(), refusal.clone(), props.commit.clone());
        Callback::from(move |e: Event| {
            let Some(input) = input_of(&e) else {
                return;
            };
            let result = commit.emit(input.value());
            refusal.set(result.err());
            draft.set(None);
        })
    };
    let onkeydown = {
        let draft = draft.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Escape gives up what was typed.
            if e.key() == "Escape" && draft.is_some() {
                draft.set(None);
            }
        })
    };
    // Left without a change: nothing was typed that counts.
    let onblur = {
        let draft = draft.clone();
        Callback::from(move |_: FocusEvent| draft.set(None))
    };
    let shown = (*draft)
        .clone()
        .map_or_else(|| props.value.clone(), AttrValue::from);
    let message_id = format!("{}-message", props.id);
    html! {
        <>
            <input id={props.id.clone()} type="number" step={props.step.clone()}
                   min={props.min.clone()} max={props.max.clone()} class={props.class.clone()}
                   value={shown} placeholder={props.placeholder.clone()}
                   data-option={props.option.clone()} aria-label={props.aria_label.clone()}
                   aria-invalid={refusal.is_some().then_some("true")}
                   aria-describedby={refusal.is_some().then(|| message_id.clone())}
                   {oninput} {onchange} {onkeydown} {onblur} />
            if let Some(why) = &*refusal {
                <span class="field-message" id={message_id} role="alert">{ why }</span>
            }
        </>
    }
}
