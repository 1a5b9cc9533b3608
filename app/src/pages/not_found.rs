use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Không tìm thấy trang"/>
        <section class="card">
            <h1>"Không tìm thấy trang"</h1>
            <p>"Địa chỉ này không có trong Kỹ Năng Số."</p>
            <a href="/">"Về trang chủ"</a>
        </section>
    }
}
