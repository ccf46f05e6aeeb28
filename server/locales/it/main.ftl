# Login Bridge: every text people read, in Italian. This file mirrors en/main.ftl:
# the same message ids in the same order, with the same variables. Add new keys to
# en/main.ftl first, then translate them here.

## The provider page and its embedded (iframe) version
page-title = Accedi
page-heading = Accedi
continue-with = Continua con { $provider }
provider-connecting = connessione in corso…
provider-unavailable = temporaneamente non disponibile
provider-busy = Apertura di { $provider }…
last-used = Usato l'ultima volta
password-login = Accedi invece con una password
no-providers = Nessun provider di accesso configurato. Rivolgiti al tuo amministratore.
reference = Riferimento:
logo-alt = Logo di { $odoo }
email-label = Email di lavoro
email-submit = Continua
email-hint = Inserisci la tua email di lavoro e ti porteremo alla pagina di accesso della tua organizzazione.
email-divider = oppure scegli un account
email-invalid = Inserisci un indirizzo email, ad esempio nome@example.com.
email-unknown-domain = Nessun provider di accesso è configurato per { $domain }. Scegli uno dei pulsanti qui sotto.
shared-with-odoo = { $odoo } riceve solo il tuo nome e il tuo indirizzo email dall'account che scegli. La tua password resta presso quel fornitore.

## Why the page cannot offer a button
link-invalid-title = Questo link di accesso non è valido
request-expired = Questa richiesta di accesso è scaduta. Torna alla pagina di accesso di Odoo e ricomincia.
back-to-odoo = Torna alla pagina di accesso di Odoo
try-again = Riprova
page-not-found-title = Pagina non trovata
page-not-found-detail = Questo indirizzo non esiste nel servizio di accesso.

## What Odoo reported back (its login page carries ?oauth_error=1, 2 or 3)
odoo-error-1-title = Odoo non consente la registrazione
odoo-error-1-detail = La tua identità è stata confermata, ma Odoo non ha un account per te e non consente la registrazione di nuovi utenti. Chiedi al tuo amministratore Odoo di creare il tuo account o di inviarti un invito.
odoo-error-2-title = Odoo ha rifiutato l'accesso
odoo-error-2-detail = Odoo non è riuscito a confermare il tuo accesso tramite questo servizio e quindi lo ha negato. Riprova; se il problema persiste, comunica al tuo amministratore il riferimento qui sotto.
odoo-error-3-title = Nessun accesso a questo database Odoo
odoo-error-3-detail = La tua identità è stata confermata, ma Odoo non ha trovato un tuo account in questo database oppure il tuo invito è scaduto. Chiedi al tuo amministratore Odoo l'accesso o un nuovo invito, poi riprova.

## Error pages: what happened and what to do
error-request-invalid-title = Questa richiesta di accesso non è valida
error-request-invalid-detail = La richiesta non proviene da un'istanza Odoo nota a questo servizio di accesso, oppure è stata modificata. Torna alla pagina di accesso di Odoo e riprova; se il problema persiste, avvisa il tuo amministratore.
error-unknown-provider-title = Provider di accesso sconosciuto
error-unknown-provider-detail = Questa opzione di accesso non esiste. Torna alla pagina di accesso e scegli uno dei pulsanti.
error-unknown-odoo-title = Odoo sconosciuto
error-unknown-odoo-detail = Il link che hai seguito indica un'istanza Odoo non servita da questo servizio di accesso. Usa il link di accesso del tuo Odoo.
error-return-to-title = Questo link di accesso non è valido
error-return-to-detail = La pagina da aprire dopo l'accesso deve essere una pagina del tuo Odoo. Usa il link di accesso del tuo Odoo.
error-expired-title = L'accesso è scaduto
error-expired-detail = L'accesso ha richiesto troppo tempo, è già stato usato oppure è stato avviato in un altro browser o scheda. Ricomincia: ci vuole solo un attimo.
error-cancelled-title = Accesso annullato
error-cancelled-detail = Non hai autorizzato { $provider } a farti accedere, oppure hai annullato. Puoi riprovare quando vuoi.
error-refused-title = Accesso non riuscito
error-refused-detail = { $provider } non è riuscito a farti accedere (errore: { $code }). Puoi riprovare; se il problema persiste, comunica al tuo amministratore il riferimento qui sotto.
error-provider-down-title = Provider di accesso non disponibile
error-provider-down-detail = Al momento { $provider } non è raggiungibile. Riprova tra qualche minuto o accedi in un altro modo.
error-not-allowed-title = Account non consentito
error-not-allowed-google-domain = Gli account del dominio Google Workspace { $domain } non possono accedere qui. Accedi con il tuo account di lavoro o rivolgiti al tuo amministratore Odoo.
error-not-allowed-microsoft-tenant = Gli account di questa organizzazione Microsoft ({ $tenant }) non possono accedere qui. Accedi con il tuo account di lavoro o rivolgiti al tuo amministratore Odoo.
error-not-allowed-github-org = Il tuo account GitHub non fa parte di nessuna organizzazione autorizzata ad accedere qui. Chiedi al tuo amministratore Odoo di aggiungerti oppure accedi in un altro modo.
error-verify-failed-title = Accesso non riuscito
error-verify-failed-detail = Non è stato possibile verificare la risposta del tuo provider di identità. Riprova; se il problema persiste, avvisa il tuo amministratore.
error-no-account-title = Nessun account Odoo
error-no-account-detail = Non esiste un account Odoo per { $email }. Chiedi al tuo amministratore Odoo di crearne uno per questo indirizzo, poi accedi di nuovo.
error-archived-title = Account Odoo archiviato
error-archived-detail = L'account Odoo per { $email } è archiviato. Chiedi al tuo amministratore Odoo di ripristinarlo.
error-link-conflict-title = Conflitto nel collegamento dell'account
error-link-conflict-detail = Non è possibile collegare il tuo account Odoo perché un altro account ha già lo stesso collegamento di accesso. Il tuo amministratore deve correggere i collegamenti; comunicagli il riferimento qui sotto.
error-ambiguous-title = Più account Odoo corrispondenti
error-ambiguous-detail = Più di un account Odoo usa { $email }, quindi non ne è stato scelto nessuno. Chiedi al tuo amministratore Odoo di lasciare questo indirizzo su un solo account.
error-no-email-title = Indirizzo email necessario
error-no-email-detail = Il tuo provider di identità non ha condiviso un indirizzo email, quindi non è possibile trovare un account Odoo. Consenti l'accesso all'indirizzo email e riprova.
error-email-unverified-title = Indirizzo email non verificato
error-email-unverified-detail = Il tuo provider di identità non ha verificato { $email }. Verifica l'indirizzo presso il provider, poi accedi di nuovo, oppure rivolgiti al tuo amministratore Odoo.
error-domain-title = Indirizzo non consentito
error-domain-detail = Gli account come { $email } non possono accedere a questo Odoo. Usa il tuo account di lavoro.
error-not-linked-title = Account non collegato
error-not-linked-detail = Questo accesso non è ancora collegato a un account Odoo. Chiedi al tuo amministratore Odoo di collegarlo.
error-blocked-title = Accesso bloccato
error-blocked-detail = Il tuo amministratore ha bloccato l'accesso tramite questo servizio per questo account. Contattalo se hai bisogno di accedere.
error-odoo-down-title = Odoo non risponde
error-odoo-down-detail = L'accesso è riuscito, ma non è stato possibile raggiungere Odoo per aprire la tua sessione. Riprova tra qualche minuto; se il problema persiste, avvisa il tuo amministratore.
error-odoo-setup-title = L'accesso non è configurato correttamente
error-odoo-setup-detail = La tua identità è stata confermata, ma Odoo ha rifiutato la richiesta del servizio di accesso. Il tuo amministratore deve correggere la configurazione; comunicagli il riferimento qui sotto.
error-no-provider-record-title = L'accesso non è configurato in Odoo
error-no-provider-record-detail = In Odoo non c'è nessun provider OAuth che punti a questo servizio di accesso. Il tuo amministratore deve completare la configurazione.
error-internal-title = Si è verificato un problema
error-internal-detail = Il servizio di accesso ha riscontrato un problema interno. Riprova; se il problema persiste, avvisa il tuo amministratore.
error-too-many-title = Troppi tentativi
error-too-many-detail = Ci sono stati troppi tentativi di accesso dalla tua rete. Attendi un minuto, poi riprova.
error-busy-title = Il servizio di accesso è sovraccarico
error-busy-detail = In questo momento sono in corso troppi accessi. Attendi qualche minuto, poi riprova.

## Microsoft Entra ID (AADSTS…) errors people meet most
aadsts-title = Microsoft non è riuscito a farti accedere
aadsts-code = Errore Microsoft { $code }
aadsts-50011 = L'indirizzo di accesso registrato presso Microsoft non corrisponde a questo servizio. Il tuo amministratore deve aggiungere l'URI di reindirizzamento di questo servizio alla registrazione dell'app in Entra ID.
aadsts-50020 = Il tuo account non fa parte dell'organizzazione Microsoft per cui è configurato questo servizio. Accedi con il tuo account di lavoro o chiedi al tuo amministratore di invitarti come utente guest.
aadsts-50034 = Microsoft non riconosce questo account nell'organizzazione. Controlla l'indirizzo che hai inserito o accedi con il tuo account di lavoro.
aadsts-50053 = Il tuo account Microsoft è temporaneamente bloccato a causa di troppi tentativi di accesso. Attendi un po', poi riprova.
aadsts-50055 = La tua password Microsoft è scaduta. Cambiala su Microsoft, poi accedi di nuovo.
aadsts-50057 = Il tuo account Microsoft è disabilitato. Contatta il tuo amministratore.
aadsts-50058 = Microsoft non è riuscito a identificarti da questo browser. Accedi di nuovo a Microsoft, poi riprova.
aadsts-50076 = La tua organizzazione richiede un secondo passaggio di accesso che non è stato completato. Riprova e completa l'autenticazione a più fattori.
aadsts-50105 = Il tuo amministratore non ti ha dato accesso a questa applicazione in Entra ID. Chiedigli di assegnarti all'app.
aadsts-50126 = Il nome utente o la password non sono corretti. Riprova.
aadsts-53003 = I criteri di accesso condizionale della tua organizzazione hanno bloccato questo accesso (ad esempio per il dispositivo o la posizione). Contatta il tuo amministratore.
aadsts-65001 = Questa applicazione richiede il consenso prima di poter essere usata nella tua organizzazione. Chiedi a un amministratore di concedere il consenso in Entra ID.
aadsts-65004 = Hai rifiutato di concedere a questa applicazione le autorizzazioni richieste. Riprova e accetta, oppure rivolgiti al tuo amministratore.
aadsts-70011 = L'applicazione chiede a Microsoft un'autorizzazione non valida. Il tuo amministratore deve correggere gli ambiti configurati per questo provider.
aadsts-90072 = Il tuo account appartiene a un'altra organizzazione e non è un utente guest di questa. Chiedi al tuo amministratore di invitarti oppure accedi con il tuo account di lavoro.
aadsts-700016 = L'applicazione non è registrata in questa organizzazione Microsoft. Il tuo amministratore deve controllare l'ID client e il tenant configurati per questo provider.
aadsts-7000215 = Microsoft ha rifiutato il segreto client di questo servizio. Il tuo amministratore deve aggiornare il segreto (potrebbe essere scaduto).
aadsts-7000222 = Il segreto client di questo servizio presso Microsoft è scaduto. Il tuo amministratore deve creare un nuovo segreto e aggiornare la configurazione.
aadsts-other = Riprova; se il problema persiste, comunica al tuo amministratore il codice di errore Microsoft e il riferimento qui sotto.
