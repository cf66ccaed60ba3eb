//! The errors that reach the page, as types: each carries the field path or
//! the name it refers to and the numbers in it, so the page can say it in the user's
//! language; `Display` writes the English message (thiserror), for the CLI and the tests.

use crate::num::{Dec, Fixed};
use crate::plain::quoted;
use thiserror::Error;

/// `"{path}: "`, or nothing for the whole text.
fn at(path: &str) -> String {
    match path {
        "" => String::new(),
        _ => format!("{path}: "),
    }
}

/// Names listed in a message: `a, b, c`.
fn list(names: &[String]) -> String {
    names.join(", ")
}

/// A kind of JSON value, as a message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum JsonKind {
    #[error("null")]
    Null,
    #[error("true or false")]
    Bool,
    #[error("a number")]
    Number,
    #[error("a whole number")]
    WholeNumber,
    #[error("a string")]
    String,
    #[error("a list")]
    List,
    #[error("an object")]
    Object,
    /// One of an enum's names.
    #[error("a name")]
    Name,
    /// An enum's variant: a name, or an object with one field.
    #[error("a name or an object with one field")]
    Variant,
}

/// What is wrong with a JSON text's grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Syntax {
    #[error("trailing characters after the value")]
    TrailingCharacters,
    #[error("nested too deep")]
    TooDeep,
    #[error("expected `,` or `}}`")]
    ExpectedCommaOrBrace,
    #[error("expected `,` or `]`")]
    ExpectedCommaOrBracket,
    #[error("expected a field name in quotes")]
    ExpectedFieldName,
    #[error("expected `:`")]
    ExpectedColon,
    #[error("expected a value")]
    ExpectedValue,
    #[error("a number must start with a digit, and not with 0 unless it is 0")]
    BadNumberStart,
    #[error("expected a digit after `.`")]
    ExpectedFractionDigit,
    #[error("expected a digit in the exponent")]
    ExpectedExponentDigit,
    #[error("the number is out of range")]
    NumberOutOfRange,
    #[error("expected four hex digits after \\u")]
    ExpectedHexDigits,
    #[error("the \\u escape is not a character")]
    NotACharacter,
    #[error("unknown escape")]
    UnknownEscape,
    #[error("unfinished escape")]
    UnfinishedEscape,
    #[error("a control character in a string")]
    ControlCharacter,
    #[error("an unfinished string")]
    UnfinishedString,
    #[error("the string is not valid UTF-8")]
    NotUtf8,
}

/// What is wrong with a value of a scenario, a lesson file or a share link: its grammar, its
/// shape, or its range.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Problem {
    // ----- the JSON grammar (its path is empty)
    #[error("{what} at line {line} column {column}")]
    Syntax {
        what: Syntax,
        line: usize,
        column: usize,
    },
    /// The text ends in the middle of a value (a link cut short).
    #[error("the text ends too soon ({what}, line {line})")]
    EndsTooSoon { what: Syntax, line: usize },
    // ----- its shape
    #[error("expected {expected}, not {got}")]
    Expected { expected: JsonKind, got: JsonKind },
    #[error("expected a whole number from 0 to {max}, not {}", Dec(*.got))]
    WholeNumberOutOfRange { max: u64, got: f64 },
    #[error("unknown field `{}`; the fields are {}", quoted(.name), list(.known))]
    UnknownField { name: String, known: Vec<String> },
    #[error("the field `{}` is given twice", quoted(.name))]
    FieldTwice { name: String },
    #[error("the field `{}` is missing", quoted(.name))]
    MissingField { name: String },
    #[error("unknown value `{}`; it is one of {}", quoted(.name), list(.known))]
    UnknownValue { name: String, known: Vec<String> },
    #[error("unknown variant `{}`; it is one of {}", quoted(.name), list(.known))]
    UnknownVariant { name: String, known: Vec<String> },
    #[error("`{}` takes no fields", quoted(.name))]
    TakesNoFields { name: String },
    /// What a hand-written `Deserialize` refuses, in its own (English) words.
    #[error("{0}")]
    Invalid(String),
    /// A file that is not JSON, or not a scenario's: the JSON reader's problem inside.
    #[error("not a valid scenario: {0}")]
    NotAScenario(Box<JsonError>),
    // ----- its values
    #[error("must be from {} to {}, not {}", Dec(*.min), Dec(*.max), Dec(*.got))]
    OutOfRange { min: f64, max: f64, got: f64 },
    #[error("must be a number of milliseconds from {} to {}, not {}", Dec(*.min), Dec(*.max), Dec(*.got))]
    MsOutOfRange { min: f64, max: f64, got: f64 },
    /// A whole number out of its range (the message names the range only).
    #[error("must be from {min} to {max}")]
    Range { min: u64, max: u64 },
    #[error("must be from 0 to {max} (a week)")]
    AWeekAtMost { max: u64 },
    #[error("more than one web host needs a load balancer in front")]
    WebHostsNeedLoadBalancer,
    #[error("an LB pair needs topology.load_balancer")]
    LbPairNeedsLoadBalancer,
    #[error("`balance first` needs a maxconn: it fills each server up to it")]
    FirstNeedsMaxconn,
    #[error("`observe` needs health checks (`check`)")]
    ObserveNeedsChecks,
    #[error("at least one kind of request needs a share above 0")]
    NoRequests,
    #[error("no web host called \"{}\" in this topology", quoted(.name))]
    UnknownWebHost { name: String, known: Vec<String> },
    #[error("no node or link called \"{}\" in this topology; the nodes are {}; the links are {}", quoted(.name), list(.nodes), list(.links))]
    UnknownTarget {
        name: String,
        nodes: Vec<String>,
        links: Vec<String>,
    },
    #[error("packet loss applies to links, not nodes")]
    LossOnNode,
    #[error("a link cannot be drained")]
    DrainOnLink,
    // ----- free text (a scenario's name and description)
    #[error("must not be blank")]
    Blank,
    #[error("must be at most {max} characters, not {got}")]
    TooLong { max: usize, got: usize },
    /// A line break in a name.
    #[error("must be one line: character {at} is a line break")]
    LineBreak { at: usize },
    /// Another control character, or a Unicode direction control.
    #[error("must be plain text: character {at} is the invisible character U+{code:04X}")]
    HiddenCharacter { at: usize, code: u32 },
}

/// A scenario could not be used: `path` is the JSON path of the culprit (`haproxy.rise`,
/// `faults[0].target`), empty for the whole text.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{}{problem}", at(.path))]
pub struct ScenarioError {
    pub path: String,
    pub problem: Problem,
}

impl ScenarioError {
    pub fn new(path: impl Into<String>, problem: Problem) -> ScenarioError {
        ScenarioError {
            path: path.into(),
            problem,
        }
    }
}

/// A user action refused (`Action::validate`, `World::apply`, `Lab::apply`): it changed
/// nothing.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ActionError {
    #[error("the rate must be 0 or from {} to {} requests/s, not {}", Dec(*.min), Dec(*.max), Dec(*.got))]
    Rate { min: f64, max: f64, got: f64 },
    #[error("a burst multiplies the rate by 1 to 100, not {}", Dec(*.got))]
    BurstFactor { got: f64 },
    #[error("a burst lasts from 0 to 3600 s, not {}", Dec(*.got))]
    BurstDuration { got: f64 },
    #[error("a weight is from 0 to 256, not {got}")]
    Weight { got: u32 },
    /// New settings, or a fault's own value, out of range (its field named).
    #[error(transparent)]
    Invalid(#[from] ScenarioError),
    #[error("no node or link called \"{}\"", quoted(.name))]
    UnknownTarget { name: String },
    #[error("packet loss applies to links, not nodes")]
    LossOnNode,
    #[error("a link cannot be drained")]
    DrainOnLink,
    #[error("no web server called \"{}\"", quoted(.name))]
    UnknownWebServer { name: String },
    #[error("no node called \"{}\"", quoted(.name))]
    UnknownNode { name: String },
    #[error("{} runs no MySQL", quoted(.name))]
    NoMysql { name: String },
    #[error("{} is already the primary", quoted(.name))]
    AlreadyPrimary { name: String },
    #[error("{} is down: it cannot be promoted", quoted(.name))]
    PromoteDown { name: String },
    #[error("the topology cannot change in a running world")]
    TopologyChange,
}

/// A share link that cannot be opened.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LinkError {
    #[error("the link is empty")]
    Empty,
    #[error("the link is too long to be a Foobar Lab link")]
    TooLong,
    #[error("this link was made by a newer Foobar Lab (link version {version}, this page reads version {reads})")]
    Newer { version: u32, reads: u32 },
    #[error("this link's version ({version}) is no longer supported")]
    Unsupported { version: u32 },
    #[error("this is not a Foobar Lab link (it should start with v{version}.)")]
    NotALink { version: u32 },
    #[error("the link is damaged: its checksum is missing")]
    NoChecksum,
    #[error("the link is damaged: a character has changed (its checksum does not match)")]
    ChecksumMismatch,
    #[error("the link is damaged: it has characters a link cannot have")]
    BadCharacters,
    #[error("the link is damaged or cut short: it ends too soon")]
    CutShort,
    #[error("the link is damaged: its contents are not a Foobar Lab state ({0})")]
    NotAState(Box<JsonError>),
    #[error("the link's scenario is not valid: {0}")]
    Scenario(ScenarioError),
    #[error("the link's actions are out of order")]
    ActionsOutOfOrder,
    #[error("the link has a bad action: {0}")]
    Action(ActionError),
    #[error("the link's moment is beyond a week of simulated time")]
    BeyondAWeek,
    #[error("this link's moment is too far into a busy run to replay here (about {} million requests)", Fixed(*.million_requests, 0))]
    TooBusy { million_requests: f64 },
}

/// A run that cannot be rebuilt (`Lab::replay`, `Lab::from_link`).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LabError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error("the actions are not in time order")]
    ActionsOutOfOrder,
    #[error(transparent)]
    Action(#[from] ActionError),
    #[error(transparent)]
    Link(#[from] LinkError),
}

/// A lesson file that cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BookError {
    #[error("not a valid lesson file: {0}")]
    NotABook(Box<JsonError>),
    #[error("lesson {lesson}: predict.answer is not one of the choices")]
    AnswerNotAChoice { lesson: String },
    #[error("lesson {lesson}: {error}")]
    BadAction { lesson: String, error: ActionError },
}

/// Why a text could not be read, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// The path of the bad value (`haproxy.servers[1].weight`); empty for the whole text or a
    /// syntax error.
    pub path: String,
    pub problem: Problem,
}

impl JsonError {
    /// The text ended in the middle of a value (a link cut short).
    pub fn ends_too_soon(&self) -> bool {
        matches!(self.problem, Problem::EndsTooSoon { .. })
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

impl std::error::Error for JsonError {}
