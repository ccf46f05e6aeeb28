# Login Bridge: every text people read, in Dutch. This file mirrors en/main.ftl:
# the same message ids in the same order, with the same variables. Add new keys to
# en/main.ftl first, then translate them here.

## The provider page and its embedded (iframe) version
page-title = Inloggen
page-heading = Inloggen
continue-with = Doorgaan met { $provider }
provider-connecting = verbinden…
provider-unavailable = tijdelijk niet beschikbaar
provider-busy = { $provider } openen…
last-used = Laatst gebruikt
password-login = In plaats daarvan inloggen met een wachtwoord
no-providers = Er is geen inlogprovider ingesteld. Neem contact op met je beheerder.
reference = Referentie:
logo-alt = Logo van { $odoo }
email-label = Zakelijk e-mailadres
email-submit = Doorgaan
email-hint = Typ je zakelijke e-mailadres, dan brengen we je naar de inlogpagina van je organisatie.
email-divider = of kies een account
email-invalid = Geef een e-mailadres op, zoals naam@example.com.
email-unknown-domain = Er is geen inlogprovider ingesteld voor { $domain }. Kies een van de knoppen hieronder.
shared-with-odoo = { $odoo } ontvangt alleen uw naam en e-mailadres van het account dat u kiest. Uw wachtwoord blijft bij die aanbieder.

## Why the page cannot offer a button
link-invalid-title = Deze inloglink is ongeldig
request-expired = Dit inlogverzoek is verlopen. Ga terug naar je Odoo-inlogpagina en begin opnieuw.
back-to-odoo = Terug naar de Odoo-inlogpagina
try-again = Opnieuw proberen
page-not-found-title = Pagina niet gevonden
page-not-found-detail = Dit adres bestaat niet op de inlogservice.

## What Odoo reported back (its login page carries ?oauth_error=1, 2 or 3)
odoo-error-1-title = Odoo staat registreren niet toe
odoo-error-1-detail = Je identiteit is bevestigd, maar Odoo heeft geen account voor je en staat niet toe dat nieuwe mensen zich registreren. Vraag je Odoo-beheerder om je account aan te maken of je een uitnodiging te sturen.
odoo-error-2-title = Odoo heeft het inloggen geweigerd
odoo-error-2-detail = Odoo kon je inlogpoging via deze service niet bevestigen en heeft de toegang daarom geweigerd. Probeer het opnieuw; blijft het gebeuren, geef je beheerder dan de referentie hieronder.
odoo-error-3-title = Geen toegang tot deze Odoo-database
odoo-error-3-detail = Je identiteit is bevestigd, maar Odoo heeft in deze database geen account voor je gevonden, of je uitnodiging is verlopen. Vraag je Odoo-beheerder om toegang of een nieuwe uitnodiging en probeer het daarna opnieuw.

## Error pages: what happened and what to do
error-request-invalid-title = Dit inlogverzoek is ongeldig
error-request-invalid-detail = Het verzoek komt niet van een Odoo die deze inlogservice kent, of het is gewijzigd. Ga terug naar je Odoo-inlogpagina en probeer het opnieuw; blijft het gebeuren, laat het je beheerder dan weten.
error-unknown-provider-title = Onbekende inlogprovider
error-unknown-provider-detail = Deze inlogoptie bestaat niet. Ga terug naar de inlogpagina en kies een van de knoppen.
error-unknown-odoo-title = Onbekende Odoo
error-unknown-odoo-detail = De link die je hebt gevolgd, verwijst naar een Odoo die deze inlogservice niet bedient. Gebruik de inloglink van je Odoo.
error-return-to-title = Deze inloglink is ongeldig
error-return-to-detail = De pagina die na het inloggen wordt geopend, moet een pagina van je Odoo zijn. Gebruik de inloglink van je Odoo.
error-expired-title = Je inlogpoging is verlopen
error-expired-detail = Het inloggen duurde te lang, is al gebruikt of is gestart in een andere browser of een ander tabblad. Begin opnieuw: het duurt maar even.
error-cancelled-title = Inloggen geannuleerd
error-cancelled-detail = Je hebt { $provider } geen toestemming gegeven om je in te loggen, of je hebt geannuleerd. Je kunt het opnieuw proberen wanneer je wilt.
error-refused-title = Inloggen mislukt
error-refused-detail = { $provider } kon je niet inloggen (fout: { $code }). Je kunt het opnieuw proberen; blijft het gebeuren, geef je beheerder dan de referentie hieronder.
error-provider-down-title = Inlogprovider niet beschikbaar
error-provider-down-detail = { $provider } is op dit moment niet bereikbaar. Probeer het over een paar minuten opnieuw of log op een andere manier in.
error-not-allowed-title = Account niet toegestaan
error-not-allowed-google-domain = Accounts van het Google Workspace-domein { $domain } mogen hier niet inloggen. Log in met je werkaccount of neem contact op met je Odoo-beheerder.
error-not-allowed-microsoft-tenant = Accounts van deze Microsoft-organisatie ({ $tenant }) mogen hier niet inloggen. Log in met je werkaccount of neem contact op met je Odoo-beheerder.
error-not-allowed-github-org = Je GitHub-account is geen lid van een organisatie die hier mag inloggen. Vraag je Odoo-beheerder om je toe te voegen of log op een andere manier in.
error-verify-failed-title = Inloggen mislukt
error-verify-failed-detail = Het antwoord van je identiteitsprovider kon niet worden geverifieerd. Probeer het opnieuw; blijft het gebeuren, laat het je beheerder dan weten.
error-no-account-title = Geen Odoo-account
error-no-account-detail = Er is geen Odoo-account voor { $email }. Vraag je Odoo-beheerder om er een voor dit adres aan te maken en log daarna opnieuw in.
error-archived-title = Odoo-account gearchiveerd
error-archived-detail = Het Odoo-account voor { $email } is gearchiveerd. Vraag je Odoo-beheerder om het te herstellen.
error-link-conflict-title = Conflict bij accountkoppeling
error-link-conflict-detail = Je Odoo-account kan niet worden gekoppeld, omdat een ander account al dezelfde inlogkoppeling heeft. Je beheerder moet de koppelingen corrigeren; geef je beheerder de referentie hieronder.
error-ambiguous-title = Meerdere Odoo-accounts komen overeen
error-ambiguous-detail = Meer dan één Odoo-account gebruikt { $email }, dus er is er geen gekozen. Vraag je Odoo-beheerder om dit adres maar aan één account te koppelen.
error-no-email-title = E-mailadres nodig
error-no-email-detail = Je identiteitsprovider heeft geen e-mailadres gedeeld, dus er kan geen Odoo-account worden gevonden. Geef toestemming voor je e-mailadres en probeer het opnieuw.
error-email-unverified-title = E-mailadres niet geverifieerd
error-email-unverified-detail = Je identiteitsprovider heeft { $email } niet geverifieerd. Verifieer het adres daar en log daarna opnieuw in, of neem contact op met je Odoo-beheerder.
error-domain-title = Adres niet toegestaan
error-domain-detail = Accounts zoals { $email } mogen niet inloggen bij deze Odoo. Gebruik je werkaccount.
error-not-linked-title = Account niet gekoppeld
error-not-linked-detail = Deze inlogmethode is nog niet aan een Odoo-account gekoppeld. Vraag je Odoo-beheerder om deze te koppelen.
error-blocked-title = Toegang geblokkeerd
error-blocked-detail = Je beheerder heeft inloggen via deze service voor dit account geblokkeerd. Neem contact op met je beheerder als je toegang nodig hebt.
error-odoo-down-title = Odoo reageert niet
error-odoo-down-detail = Het inloggen is gelukt, maar Odoo was niet bereikbaar om je sessie te openen. Probeer het over een paar minuten opnieuw; blijft het gebeuren, laat het je beheerder dan weten.
error-odoo-setup-title = Inloggen is niet goed ingesteld
error-odoo-setup-detail = Je identiteit is bevestigd, maar Odoo heeft het verzoek van de inlogservice geweigerd. Je beheerder moet de instellingen corrigeren; geef je beheerder de referentie hieronder.
error-no-provider-record-title = Inloggen is niet ingesteld in Odoo
error-no-provider-record-detail = Odoo heeft geen OAuth-provider die naar deze inlogservice verwijst. Je beheerder moet het instellen afronden.
error-internal-title = Er is iets misgegaan
error-internal-detail = De inlogservice had een intern probleem. Probeer het opnieuw; blijft het gebeuren, laat het je beheerder dan weten.
error-too-many-title = Te veel pogingen
error-too-many-detail = Er waren te veel inlogpogingen vanaf je netwerk. Wacht een minuut en probeer het dan opnieuw.
error-busy-title = De inlogservice is overbelast
error-busy-detail = Er lopen op dit moment te veel aanmeldingen. Wacht een paar minuten en probeer het dan opnieuw.

## Microsoft Entra ID (AADSTS…) errors people meet most
aadsts-title = Microsoft kon je niet inloggen
aadsts-code = Microsoft-fout { $code }
aadsts-50011 = Het inlogadres dat bij Microsoft is geregistreerd, komt niet overeen met deze service. Je beheerder moet de omleidings-URI van deze service toevoegen aan de app-registratie in Entra ID.
aadsts-50020 = Je account hoort niet bij de Microsoft-organisatie waarvoor deze service is ingesteld. Log in met je werkaccount of vraag je beheerder om je als gast uit te nodigen.
aadsts-50034 = Microsoft kent dit account niet in de organisatie. Controleer het adres dat je hebt getypt of log in met je werkaccount.
aadsts-50053 = Je Microsoft-account is tijdelijk vergrendeld vanwege te veel inlogpogingen. Wacht even en probeer het dan opnieuw.
aadsts-50055 = Je Microsoft-wachtwoord is verlopen. Wijzig het bij Microsoft en log daarna opnieuw in.
aadsts-50057 = Je Microsoft-account is uitgeschakeld. Neem contact op met je beheerder.
aadsts-50058 = Microsoft kon in deze browser niet vaststellen wie je bent. Log opnieuw in bij Microsoft en probeer het daarna nog eens.
aadsts-50076 = Je organisatie vereist een tweede inlogstap die niet is voltooid. Probeer het opnieuw en voltooi de meervoudige verificatie.
aadsts-50105 = Je beheerder heeft je in Entra ID geen toegang tot deze applicatie gegeven. Vraag je beheerder om je aan de app toe te wijzen.
aadsts-50126 = De gebruikersnaam of het wachtwoord is onjuist. Probeer het opnieuw.
aadsts-53003 = Het beleid voor voorwaardelijke toegang van je organisatie heeft deze inlogpoging geblokkeerd (bijvoorbeeld vanwege het apparaat of de locatie). Neem contact op met je beheerder.
aadsts-65001 = Deze applicatie heeft toestemming nodig voordat deze in je organisatie kan worden gebruikt. Vraag een beheerder om in Entra ID toestemming te verlenen.
aadsts-65004 = Je hebt geweigerd deze applicatie de gevraagde machtigingen te geven. Probeer het opnieuw en ga akkoord, of neem contact op met je beheerder.
aadsts-70011 = De applicatie vraagt Microsoft om een ongeldige machtiging. Je beheerder moet de bereiken corrigeren die voor deze provider zijn ingesteld.
aadsts-90072 = Je account komt uit een andere organisatie en is hier geen gast. Vraag je beheerder om je uit te nodigen of log in met je werkaccount.
aadsts-700016 = De applicatie is niet geregistreerd in deze Microsoft-organisatie. Je beheerder moet de client-id en de tenant controleren die voor deze provider zijn ingesteld.
aadsts-7000215 = Microsoft heeft het clientgeheim van deze service geweigerd. Je beheerder moet het geheim bijwerken (het is mogelijk verlopen).
aadsts-7000222 = Het clientgeheim van deze service bij Microsoft is verlopen. Je beheerder moet een nieuw geheim maken en de configuratie bijwerken.
aadsts-other = Probeer het opnieuw; blijft het gebeuren, geef je beheerder dan de Microsoft-foutcode en de referentie hieronder.
