//! The provider-selection page (`GET /`) and its compact twin for Odoo's login page (`GET /embed`):
//! one plain link per provider, enhanced once hydrated (remembered provider, busy state, email
//! routing, iframe height). It must keep working with JavaScript disabled: every action is a
//! link or a form.

use crate::browser;
use crate::directory::{Branding, EmailRouting, LoginPageData, LoginPageProblem, Notice, ProviderButton};
use crate::provider_icons::ProviderIcon;
use leptos::prelude::*;
use leptos_meta::{Html, Stylesheet, Title};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageOutcome {
    Ready(LoginPageData),
    Problem(LoginPageProblem),
}

/// The page's data, which the server computed before rendering (`PageAnswer` in the request's
/// extensions). Not a `Resource` under `<Suspense>`: pages are rendered on the server only
/// (the browser hydrates just the `SignInChoices` island), and an async resource made a render
/// hang now and then when several ran at once.
fn page_outcome() -> Result<PageOutcome, String> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>().ok_or("the request is missing")?;
        let answer = parts.extensions.get::<crate::directory::ssr::PageAnswer>().cloned().ok_or("the page data is missing")?;
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
    #[cfg(not(feature = "ssr"))]
    Err("pages are rendered on the server".to_string())
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
    let class = if embed { "lb-card lb-embed" } else { "lb-card" };
    let content = match page_outcome() {
        Ok(PageOutcome::Ready(data)) => view! { <ProviderList data embed/> }.into_any(),
        Ok(PageOutcome::Problem(problem)) => view! { <ProblemView problem/> }.into_any(),
        // Only a broken deployment gets here: no language is known.
        Err(err) => view! {
            <Html attr:lang="en"/>
            <h1>"Sign-in is unavailable"</h1>
            <p class="lb-detail">{err}</p>
        }
        .into_any(),
    };
    // The island inside (`SignInChoices`) marks the card `data-hydrated=true` once the WASM
    // has taken over, so tests and styles can tell.
    view! { <main class=class data-hydrated="false">{content}</main> }
}

/// The page itself: server-rendered HTML. Only `SignInChoices` (an island) runs in the browser.
#[component]
fn ProviderList(data: LoginPageData, embed: bool) -> impl IntoView {
    let LoginPageData {
        lang, title, heading, odoo_name, branding, notice, providers, email_routing, password_login_url, texts, embed_parents,
    } = data;
    let empty = providers.is_empty();
    let reference = texts.reference.clone();
    let email_form = email_routing.map(|routing| email_form(routing, &providers, embed));
    let buttons = providers.into_iter().map(|button| view! { <ProviderLink button embed/> }).collect_view();

    view! {
        <Html attr:lang=lang/>
        <Title text=title_text(title)/>
        <BrandingHead branding=branding.clone()/>
        {branding.logo_url.map(|src| view! { <img class="lb-logo" src=src alt=branding.logo_alt.clone()/> })}
        <h1>{heading}</h1>
        {odoo_name.map(|name| view! { <p class="lb-subtitle">{name}</p> })}
        {notice.map(|notice| view! { <NoticeView notice reference=reference.clone()/> })}
        <SignInChoices>
            {email_form}
            // What the island needs to know travels in data attributes, not as island props:
            // props would bring a JSON parser into the WASM.
            <ul
                class="lb-providers"
                role="list"
                data-last-used=texts.last_used.clone()
                data-parents=embed_parents.map(|origins| origins.join(" "))
            >
                {buttons}
            </ul>
            <p class="lb-live" role="status" aria-live="polite"></p>
        </SignInChoices>
        {empty.then(|| view! { <p class="lb-muted">{texts.no_providers.clone()}</p> })}
        {(!empty).then(|| view! { <p class="lb-shared">{texts.shared.clone()}</p> })}
        {password_login_url.map(|url| view! {
            <p class="lb-alt"><a href=url target=embed.then_some("_top")>{texts.password_login.clone()}</a></p>
        })}
    }
}

/// The only part of the page that runs in the browser, and so the only code in the WASM (an
/// island). Its children stay the server's HTML, which works without JavaScript; once hydrated
/// it adds the busy state, the remembered provider, email routing and the iframe's height
/// (`browser`). The WASM budget (issue: first visit ≤ 60 KB compressed) is why this drives the
/// server's markup directly instead of re-rendering it from props.
#[island]
fn SignInChoices(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        browser::show_last_used_provider();
        browser::report_height();
        browser::mark_hydrated();
    });
    view! {
        <div
            class="lb-choices"
            on:click=move |ev| browser::on_provider_click(&ev)
            on:submit=move |ev| browser::on_email_submit(&ev)
        >
            {children()}
        </div>
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
fn ProviderLink(button: ProviderButton, embed: bool) -> impl IntoView {
    let ProviderButton { id, kind, icon, label, href, available, unavailable_reason, busy_label } = button;
    if !available {
        let reason = unavailable_reason.unwrap_or_default();
        let data_reason = reason.clone();
        return view! {
            <li>
                <span
                    class=format!("lb-provider lb-provider-{kind} is-unavailable")
                    aria-disabled="true"
                    data-provider=id
                    data-reason=data_reason
                >
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
                class=format!("lb-provider lb-provider-{kind}")
                href=href
                rel="external"
                target=embed.then_some("_top")
                data-provider=id
                data-busy=busy_label
                aria-busy="false"
            >
                <ProviderIcon icon/>
                <span class="lb-label">{label}</span>
            </a>
        </li>
    }
    .into_any()
}

/// "Type your work email": a plain GET form to `/login` (routed on the server without
/// JavaScript); the island routes it in the browser from `data-routes`.
fn email_form(routing: EmailRouting, providers: &[ProviderButton], embed: bool) -> impl IntoView {
    let EmailRouting { routes, action, hidden, label, submit, hint, divider, invalid, unknown_domain } = routing;
    // `domain=provider-id` pairs (ids and domains hold no spaces or `=`: the config checks them).
    let routes = routes
        .iter()
        .filter_map(|(domain, index)| providers.get(*index).map(|p| format!("{domain}={}", p.id)))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <form
            class="lb-email"
            method="get"
            action=action
            target=embed.then_some("_top")
            novalidate
            data-routes=routes
            data-invalid=invalid
            data-unknown=unknown_domain
        >
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
                    aria-invalid="false"
                />
                <button type="submit" class="lb-button lb-primary">{submit}</button>
            </div>
            <p id="lb-email-error" class="lb-error" role="alert"></p>
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
