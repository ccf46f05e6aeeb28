//! The provider-selection page (`GET /`) and its compact twin for Odoo's login page (`GET /embed`):
//! one plain link per provider, enhanced once hydrated (remembered provider, busy state, email
//! routing, iframe height). It must keep working with JavaScript disabled: every action is a
//! link or a form.

use crate::browser;
use crate::email_routing::{email_domain, route_for, url_escape};
use crate::directory::{
    Branding, EmailRouting, LoginPageData, LoginPageProblem, LoginPageQuery, Notice, ProviderButton,
};
use crate::provider_icons::ProviderIcon;
use leptos::prelude::*;
use leptos_meta::{Html, Stylesheet, Title};
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
    let accept_language = use_context::<http::request::Parts>().and_then(|parts| {
        parts.headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_string)
    });
    let answer = directory.login_page(query, accept_language).await;
    crate::set_page_headers(&answer.frame_ancestors, &answer.img_origins);
    match answer.outcome {
        Ok(data) => Ok(PageOutcome::Ready(data)),
        Err(problem) => {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::from_u16(problem.status).unwrap_or(http::StatusCode::BAD_REQUEST));
            }
            Ok(PageOutcome::Problem(problem))
        }
    }
}

/// `GET /`: the full page.
#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <SignInPage embed=false/> }
}

/// `GET /embed`: the compact page that lives in an iframe on Odoo's login page.
#[component]
pub fn EmbedPage() -> impl IntoView {
    view! { <SignInPage embed=true/> }
}

#[component]
fn SignInPage(embed: bool) -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(
        move || {
            query.with(|q| LoginPageQuery {
                odoo: q.get("odoo"),
                // Odoo calls it `redirect` on its login page; the embed addon passes it on as is.
                return_to: q.get("return_to").or_else(|| q.get("redirect")),
                pending: q.get("pending"),
                lang: q.get("lang"),
                odoo_lang: q.get("odoo_lang"),
                oauth_error: q.get("oauth_error"),
                email_problem: q.get("email_problem"),
                embed,
            })
        },
        load_login_page,
    );
    // Marks the page once the WASM has taken over, so tests and styles can tell.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let class = if embed { "lb-card lb-embed" } else { "lb-card" };

    view! {
        <main class=class data-hydrated=move || hydrated.get().to_string()>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(PageOutcome::Ready(data)) => view! { <ProviderList data embed/> }.into_any(),
                        Ok(PageOutcome::Problem(problem)) => view! { <ProblemView problem/> }.into_any(),
                        // Only a broken deployment gets here (no directory): no language is known.
                        Err(err) => view! {
                            <Html attr:lang="en"/>
                            <h1>"Sign-in is unavailable"</h1>
                            <p class="lb-detail">{err.to_string()}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn ProviderList(data: LoginPageData, embed: bool) -> impl IntoView {
    // Set when a button is followed: the others are disabled and this one shows progress,
    // so an impatient second click cannot start a second flow.
    let busy = RwSignal::new(None::<String>);
    // Known only once hydrated; the server renders the configured order.
    let last_used = RwSignal::new(None::<String>);
    let LoginPageData {
        lang, title, heading, odoo_name, branding, notice, providers, email_routing, password_login_url, texts, embed_parents,
    } = data;
    let known_ids: Vec<String> = providers.iter().map(|p| p.id.clone()).collect();
    Effect::new(move |_| {
        last_used.set(browser::last_used_provider().filter(|id| known_ids.contains(id)));
        if let Some(parents) = embed_parents.clone() {
            browser::report_height(parents);
        }
    });
    let empty = providers.is_empty();
    let providers = StoredValue::new(providers);
    let busy_text = move || {
        let id = busy.get()?;
        providers.with_value(|list| list.iter().find(|p| p.id == id).map(|p| p.busy_label.clone()))
    };
    let last_used_label = texts.last_used.clone();
    let ordered = move || {
        let mut list = providers.get_value();
        if let Some(id) = last_used.get() {
            if let Some(pos) = list.iter().position(|p| p.id == id) {
                let chosen = list.remove(pos);
                list.insert(0, chosen);
            }
        }
        list.into_iter()
            .map(|button| {
                let is_last = last_used.get().as_deref() == Some(button.id.as_str());
                view! { <ProviderLink button busy embed last_used=is_last.then(|| last_used_label.clone())/> }
            })
            .collect_view()
    };
    let reference = texts.reference.clone();

    view! {
        <Html attr:lang=lang/>
        <Title text=title_text(title)/>
        <BrandingHead branding=branding.clone()/>
        {branding.logo_url.map(|src| view! { <img class="lb-logo" src=src alt=branding.logo_alt.clone()/> })}
        <h1>{heading}</h1>
        {odoo_name.map(|name| view! { <p class="lb-subtitle">{name}</p> })}
        {notice.map(|notice| view! { <NoticeView notice reference=reference.clone()/> })}
        {email_routing.map(|routing| view! { <EmailForm routing providers busy embed/> })}
        <ul class="lb-providers" role="list">{ordered}</ul>
        <p class="lb-live" role="status" aria-live="polite">{busy_text}</p>
        {empty.then(|| view! { <p class="lb-muted">{texts.no_providers.clone()}</p> })}
        {password_login_url.map(|url| view! {
            <p class="lb-alt"><a href=url target=embed.then_some("_top")>{texts.password_login.clone()}</a></p>
        })}
    }
}

#[component]
fn BrandingHead(branding: Branding) -> impl IntoView {
    branding.stylesheet.map(|href| view! { <Stylesheet id="lb-branding" href/> })
}

#[component]
fn NoticeView(notice: Notice, reference: String) -> impl IntoView {
    let Notice { title, detail, correlation_id } = notice;
    view! {
        <div class="lb-notice" role="alert">
            <h2>{title}</h2>
            <p>{detail}</p>
            {correlation_id.map(|id| view! { <p class="lb-correlation">{reference} " " <code>{id}</code></p> })}
        </div>
    }
}

#[component]
fn ProviderLink(
    button: ProviderButton,
    busy: RwSignal<Option<String>>,
    embed: bool,
    last_used: Option<String>,
) -> impl IntoView {
    let ProviderButton { id, kind, icon, label, href, available, unavailable_reason, busy_label: _ } = button;
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
    let badge = last_used.map(|text| view! { <span class="lb-badge">{text}</span> });
    if !available {
        let reason = unavailable_reason.unwrap_or_default();
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
            // target=_top inside the iframe: identity providers refuse to be framed.
            <a
                class=class
                href=href
                rel="external"
                target=embed.then_some("_top")
                data-provider=id
                aria-busy=move || (busy.get().as_deref() == Some(id_for_busy.as_str())).to_string()
                on:click=move |ev| {
                    if busy.get_untracked().is_some() {
                        ev.prevent_default();
                        return;
                    }
                    browser::remember_provider(&id_for_click);
                    busy.set(Some(id_for_click.clone()));
                }
            >
                <ProviderIcon icon/>
                <span class="lb-label">{label}</span>
                {badge}
            </a>
        </li>
    }
    .into_any()
}

#[component]
fn EmailForm(
    routing: EmailRouting,
    providers: StoredValue<Vec<ProviderButton>>,
    busy: RwSignal<Option<String>>,
    embed: bool,
) -> impl IntoView {
    let EmailRouting { routes, action, hidden, label, submit, hint, divider, invalid, unknown_domain } = routing;
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // Hydrated: route here and now; the form's server route stays the no-JS path.
        ev.prevent_default();
        let typed = email.get_untracked();
        let Some(domain) = email_domain(&typed) else {
            error.set(Some(invalid.clone()));
            return;
        };
        let chosen = route_for(&routes, &domain).and_then(|i| providers.with_value(|p| p.get(i).cloned()));
        match chosen {
            Some(button) if button.available => {
                error.set(None);
                let separator = if button.href.ends_with('?') { "" } else { "&" };
                let hint: String = url_escape(typed.trim());
                browser::remember_provider(&button.id);
                busy.set(Some(button.id.clone()));
                browser::navigate(&format!("{}{separator}login_hint={hint}", button.href), embed);
            }
            Some(button) => error.set(Some(button.unavailable_reason.unwrap_or_default())),
            None => error.set(Some(unknown_domain.replace("{domain}", &domain))),
        }
    };
    view! {
        <form class="lb-email" method="get" action=action target=embed.then_some("_top") on:submit=on_submit novalidate>
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <label for="lb-email-input">{label}</label>
            <p id="lb-email-hint" class="lb-hint">{hint}</p>
            <div class="lb-email-row">
                <input
                    id="lb-email-input"
                    name="email"
                    type="email"
                    autocomplete="email"
                    inputmode="email"
                    aria-describedby="lb-email-hint lb-email-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev))
                />
                <button type="submit" class="lb-button lb-primary">{submit}</button>
            </div>
            <p id="lb-email-error" class="lb-error" role="alert">{move || error.get()}</p>
        </form>
        <p class="lb-divider"><span>{divider}</span></p>
    }
}

/// leptos_meta 0.8 copies the `<title>` text into the server's HTML as it is, and titles carry
/// names from the config: escape it there. The browser sets `document.title` from the raw text.
fn title_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    text
}

#[component]
fn ProblemView(problem: LoginPageProblem) -> impl IntoView {
    let LoginPageProblem { lang, title, detail, correlation_id, reference, back_link, status: _ } = problem;
    view! {
        <Html attr:lang=lang/>
        <Title text=title_text(title.clone())/>
        <h1>{title}</h1>
        <p class="lb-detail">{detail}</p>
        {back_link.map(|(href, text)| view! { <p class="lb-alt"><a class="lb-button" href=href target="_top">{text}</a></p> })}
        {(!correlation_id.is_empty()).then(|| view! {
            <p class="lb-correlation">{reference} " " <code>{correlation_id}</code></p>
        })}
    }
}
