//! The provider-selection page (`GET /`): one plain link per provider, enhanced once hydrated.
//! It must keep working with JavaScript disabled: every action is a link.

use crate::directory::{LoginPageData, LoginPageProblem, LoginPageQuery, ProviderButton};
use crate::provider_icons::ProviderIcon;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageOutcome {
    Ready(LoginPageData),
    Problem(LoginPageProblem),
}

#[server]
pub async fn load_login_page(query: LoginPageQuery) -> Result<PageOutcome, ServerFnError> {
    use crate::directory::ssr::SharedDirectory;
    let directory = use_context::<SharedDirectory>()
        .ok_or_else(|| ServerFnError::new("login directory missing from context"))?;
    match directory.login_page(query).await {
        Ok(data) => Ok(PageOutcome::Ready(data)),
        Err(problem) => {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::BAD_REQUEST);
            }
            Ok(PageOutcome::Problem(problem))
        }
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(
        move || {
            query.with(|q| LoginPageQuery {
                odoo: q.get("odoo"),
                return_to: q.get("return_to"),
                pending: q.get("pending"),
            })
        },
        load_login_page,
    );
    // Marks the page once the WASM has taken over, so tests and styles can tell.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <main class="lb-card" data-hydrated=move || hydrated.get().to_string()>
            <Suspense fallback=|| view! { <p class="lb-muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(PageOutcome::Ready(data)) => view! { <ProviderList data/> }.into_any(),
                        Ok(PageOutcome::Problem(problem)) => view! { <ProblemView problem/> }.into_any(),
                        Err(err) => view! {
                            <ProblemView problem=LoginPageProblem {
                                title: "Sign-in is unavailable".into(),
                                detail: err.to_string(),
                                correlation_id: String::new(),
                            }/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn ProviderList(data: LoginPageData) -> impl IntoView {
    // Set when a button is followed: the others are disabled and this one shows progress,
    // so an impatient second click cannot start a second flow.
    let busy = RwSignal::new(None::<String>);
    let LoginPageData { heading, odoo_name, providers, password_login_url } = data;
    let empty = providers.is_empty();
    view! {
        <Title text=heading.clone()/>
        <h1>{heading}</h1>
        {odoo_name.map(|name| view! { <p class="lb-subtitle">{name}</p> })}
        <ul class="lb-providers" role="list">
            {providers
                .into_iter()
                .map(|button| view! { <ProviderLink button busy/> })
                .collect_view()}
        </ul>
        {empty.then(|| view! {
            <p class="lb-muted">"No sign-in provider is configured. Ask your administrator."</p>
        })}
        {password_login_url.map(|url| view! {
            <p class="lb-alt"><a href=url>"Sign in with a password instead"</a></p>
        })}
    }
}

#[component]
fn ProviderLink(button: ProviderButton, busy: RwSignal<Option<String>>) -> impl IntoView {
    let ProviderButton { id, kind, icon, label, href, available, unavailable_reason } = button;
    let id_for_click = id.clone();
    let id_for_class = id.clone();
    let id_for_busy = id.clone();
    let base_class = format!("lb-provider lb-provider-{kind}");
    let class = move || {
        let mut class = base_class.clone();
        match busy.get() {
            Some(ref b) if *b == id_for_class => class.push_str(" is-busy"),
            Some(_) => class.push_str(" is-idle"),
            None => {}
        }
        class
    };
    if !available {
        let reason = unavailable_reason.unwrap_or_else(|| "temporarily unavailable".into());
        return view! {
            <li>
                <span class=format!("lb-provider lb-provider-{kind} is-unavailable") aria-disabled="true" data-provider=id>
                    <span class="lb-label"><ProviderIcon icon/>{label}</span>
                    <span class="lb-reason">{reason}</span>
                </span>
            </li>
        }
        .into_any();
    }
    view! {
        <li>
            // rel=external: /login/… is a server route, so the client router must not take the click.
            <a
                class=class
                href=href
                rel="external"
                data-provider=id
                aria-busy=move || (busy.get().as_deref() == Some(id_for_busy.as_str())).to_string()
                on:click=move |ev| {
                    if busy.get_untracked().is_some() {
                        ev.prevent_default();
                        return;
                    }
                    busy.set(Some(id_for_click.clone()));
                }
            >
                <ProviderIcon icon/>
                <span class="lb-label">{label}</span>
            </a>
        </li>
    }
    .into_any()
}

#[component]
fn ProblemView(problem: LoginPageProblem) -> impl IntoView {
    let LoginPageProblem { title, detail, correlation_id } = problem;
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="lb-detail">{detail}</p>
        {(!correlation_id.is_empty()).then(|| view! {
            <p class="lb-correlation">"Reference: " <code>{correlation_id}</code></p>
        })}
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="lb-card">
            <Title text="Page not found"/>
            <h1>"Page not found"</h1>
            <p class="lb-detail">"This address does not exist on the sign-in service."</p>
            <p class="lb-alt"><a href="/">"Go to the sign-in page"</a></p>
        </main>
    }
}
