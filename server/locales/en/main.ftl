# Login Bridge: every text people read, in English. The other languages mirror these keys;
# `cargo test` fails when a language misses one or uses a variable English does not have.
# Variables: { $provider } a provider's display name, { $email } an address, { $odoo } an Odoo's
# name, { $domain } an email domain, { $code } a short error code, { $tenant } a Microsoft tenant id.

## The provider page and its embedded (iframe) version
page-title = Sign in
page-heading = Sign in
continue-with = Continue with { $provider }
provider-connecting = connecting…
provider-unavailable = temporarily unavailable
provider-busy = Opening { $provider }…
last-used = Last used
password-login = Sign in with a password instead
no-providers = No sign-in provider is configured. Ask your administrator.
reference = Reference:
logo-alt = { $odoo } logo
email-label = Work email
email-submit = Continue
email-hint = Type your work email and we will take you to your organisation's sign-in page.
email-divider = or choose an account
email-invalid = Enter an email address such as name@example.com.
email-unknown-domain = No sign-in provider is set up for { $domain }. Choose one of the buttons below.
shared-with-odoo = { $odoo } receives only your name and email address from the account you choose. Your password stays with that provider.

## Why the page cannot offer a button
link-invalid-title = This sign-in link is not valid
request-expired = This sign-in request has expired. Go back to your Odoo login page and start again.
back-to-odoo = Back to the Odoo login page
try-again = Try again
page-not-found-title = Page not found
page-not-found-detail = This address does not exist on the sign-in service.

## What Odoo reported back (its login page carries ?oauth_error=1, 2 or 3)
odoo-error-1-title = Odoo does not allow sign-up
odoo-error-1-detail = Your identity was confirmed, but Odoo has no account for you and does not let new people sign up. Ask your Odoo administrator to create your account or to send you an invitation.
odoo-error-2-title = Odoo refused the sign-in
odoo-error-2-detail = Odoo could not confirm your sign-in with this service, so it denied access. Try again; if it keeps happening, give your administrator the reference below.
odoo-error-3-title = No access to this Odoo database
odoo-error-3-detail = Your identity was confirmed, but Odoo found no account on this database for you, or your invitation has expired. Ask your Odoo administrator for access or a new invitation, then try again.

## Error pages: what happened and what to do
error-request-invalid-title = This sign-in request is not valid
error-request-invalid-detail = The request did not come from an Odoo this sign-in service knows, or it was altered. Go back to your Odoo login page and try again; if it keeps happening, tell your administrator.
error-unknown-provider-title = Unknown sign-in provider
error-unknown-provider-detail = This sign-in option does not exist. Go back to the sign-in page and pick one of the buttons.
error-unknown-odoo-title = Unknown Odoo
error-unknown-odoo-detail = The link you followed names an Odoo this sign-in service does not serve. Use the sign-in link from your Odoo.
error-return-to-title = This sign-in link is not valid
error-return-to-detail = The page to open after sign-in must be a page of your Odoo. Use the sign-in link from your Odoo.
error-expired-title = Your sign-in expired
error-expired-detail = The sign-in took too long, was already used, or was started in another browser or tab. Start again: it only takes a moment.
error-cancelled-title = Sign-in was cancelled
error-cancelled-detail = You did not give { $provider } permission to sign you in, or you cancelled. You can try again whenever you are ready.
error-refused-title = Sign-in failed
error-refused-detail = { $provider } could not sign you in (error: { $code }). You can try again; if it keeps happening, give your administrator the reference below.
error-provider-down-title = Sign-in provider unavailable
error-provider-down-detail = { $provider } cannot be reached right now. Try again in a few minutes, or use another way to sign in.
error-not-allowed-title = Account not allowed
error-not-allowed-google-domain = Accounts of the Google Workspace domain { $domain } may not sign in here. Sign in with your work account, or ask your Odoo administrator.
error-not-allowed-microsoft-tenant = Accounts of this Microsoft organisation ({ $tenant }) may not sign in here. Sign in with your work account, or ask your Odoo administrator.
error-not-allowed-github-org = Your GitHub account is not a member of an organisation allowed to sign in here. Ask your Odoo administrator to add you, or sign in another way.
error-verify-failed-title = Sign-in failed
error-verify-failed-detail = Your identity provider's answer could not be verified. Try again; if it keeps happening, tell your administrator.
error-no-account-title = No Odoo account
error-no-account-detail = There is no Odoo account for { $email }. Ask your Odoo administrator to create one for this address, then sign in again.
error-archived-title = Odoo account archived
error-archived-detail = The Odoo account for { $email } is archived. Ask your Odoo administrator to restore it.
error-link-conflict-title = Account link conflict
error-link-conflict-detail = Your Odoo account cannot be linked because another account already holds the same sign-in link. Your administrator needs to fix the links; give them the reference below.
error-ambiguous-title = Several Odoo accounts match
error-ambiguous-detail = More than one Odoo account uses { $email }, so none was chosen. Ask your Odoo administrator to keep this address on one account.
error-no-email-title = Email address needed
error-no-email-detail = Your identity provider did not share an email address, so no Odoo account can be found. Allow the email permission and try again.
error-email-unverified-title = Email address not verified
error-email-unverified-detail = Your identity provider has not verified { $email }. Verify the address there, then sign in again, or ask your Odoo administrator.
error-domain-title = Address not allowed
error-domain-detail = Accounts like { $email } may not sign in to this Odoo. Use your work account.
error-not-linked-title = Account not linked
error-not-linked-detail = This sign-in is not linked to an Odoo account yet. Ask your Odoo administrator to link it.
error-blocked-title = Access blocked
error-blocked-detail = Your administrator has blocked sign-in through this service for this account. Contact them if you need access.
error-odoo-down-title = Odoo is not answering
error-odoo-down-detail = The sign-in worked, but Odoo could not be reached to open your session. Try again in a few minutes; if it keeps happening, tell your administrator.
error-odoo-setup-title = Sign-in is not set up correctly
error-odoo-setup-detail = Your identity was confirmed, but Odoo refused the sign-in service's request. Your administrator needs to fix the set-up; give them the reference below.
error-no-provider-record-title = Sign-in is not set up in Odoo
error-no-provider-record-detail = Odoo has no OAuth provider pointing at this sign-in service. Your administrator needs to finish the set-up.
error-internal-title = Something went wrong
error-internal-detail = The sign-in service had an internal problem. Try again; if it keeps happening, tell your administrator.
error-too-many-title = Too many attempts
error-too-many-detail = There were too many sign-in attempts from your network. Wait a minute, then try again.
error-busy-title = The sign-in service is busy
error-busy-detail = Too many sign-ins are in progress right now. Wait a few minutes, then try again.

## Microsoft Entra ID (AADSTS…) errors people meet most
aadsts-title = Microsoft could not sign you in
aadsts-code = Microsoft error { $code }
aadsts-50011 = The sign-in address registered at Microsoft does not match this service. Your administrator must add this service's redirect URI to the app registration in Entra ID.
aadsts-50020 = Your account is not part of the Microsoft organisation this service is set up for. Sign in with your work account, or ask your administrator to invite you as a guest.
aadsts-50034 = Microsoft does not know this account in the organisation. Check the address you typed, or sign in with your work account.
aadsts-50053 = Your Microsoft account is locked for now because of too many sign-in attempts. Wait a while, then try again.
aadsts-50055 = Your Microsoft password has expired. Change it at Microsoft, then sign in again.
aadsts-50057 = Your Microsoft account is disabled. Contact your administrator.
aadsts-50058 = Microsoft could not tell who you are from this browser. Sign in to Microsoft again, then try again.
aadsts-50076 = Your organisation requires a second sign-in step that was not completed. Try again and complete multi-factor authentication.
aadsts-50105 = Your administrator has not given you access to this application in Entra ID. Ask them to assign you to the app.
aadsts-50126 = The user name or password was wrong. Try again.
aadsts-53003 = Your organisation's Conditional Access policies blocked this sign-in (for example the device or the location). Contact your administrator.
aadsts-65001 = This application needs consent before it can be used in your organisation. Ask an administrator to grant consent in Entra ID.
aadsts-65004 = You declined to give this application the permissions it asks for. Try again and accept, or ask your administrator.
aadsts-70011 = The application asks Microsoft for a permission that is not valid. Your administrator must fix the scopes configured for this provider.
aadsts-90072 = Your account comes from another organisation and is not a guest of this one. Ask your administrator to invite you, or sign in with your work account.
aadsts-700016 = The application is not registered in this Microsoft organisation. Your administrator must check the client ID and the tenant configured for this provider.
aadsts-7000215 = Microsoft rejected this service's client secret. Your administrator must update the secret (it may have expired).
aadsts-7000222 = This service's client secret at Microsoft has expired. Your administrator must create a new secret and update the configuration.
aadsts-other = Try again; if it keeps happening, give your administrator the Microsoft error code and the reference below.
