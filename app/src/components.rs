pub mod form;
pub mod session;
