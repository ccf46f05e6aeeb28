# Login Bridge: every text people read, in German. This file mirrors en/main.ftl:
# the same message ids in the same order, with the same variables. Add new keys to
# en/main.ftl first, then translate them here.

## The provider page and its embedded (iframe) version
page-title = Anmelden
page-heading = Anmelden
continue-with = Weiter mit { $provider }
provider-connecting = Verbindung wird hergestellt…
provider-unavailable = vorübergehend nicht verfügbar
provider-busy = { $provider } wird geöffnet…
last-used = Zuletzt verwendet
password-login = Stattdessen mit Passwort anmelden
no-providers = Es ist kein Anmeldeanbieter eingerichtet. Wenden Sie sich an Ihren Administrator.
reference = Referenz:
logo-alt = Logo von { $odoo }
email-label = Geschäftliche E-Mail-Adresse
email-submit = Weiter
email-hint = Geben Sie Ihre geschäftliche E-Mail-Adresse ein, dann leiten wir Sie zur Anmeldeseite Ihrer Organisation weiter.
email-divider = oder Konto auswählen
email-invalid = Geben Sie eine E-Mail-Adresse wie name@example.com ein.
email-unknown-domain = Für { $domain } ist kein Anmeldeanbieter eingerichtet. Wählen Sie unten eine der Schaltflächen.
shared-with-odoo = { $odoo } erhält von dem gewählten Konto nur Ihren Namen und Ihre E-Mail-Adresse. Ihr Passwort bleibt bei diesem Anbieter.

## Why the page cannot offer a button
link-invalid-title = Dieser Anmeldelink ist ungültig
request-expired = Diese Anmeldeanfrage ist abgelaufen. Kehren Sie zu Ihrer Odoo-Anmeldeseite zurück und beginnen Sie neu.
back-to-odoo = Zurück zur Odoo-Anmeldeseite
try-again = Erneut versuchen
page-not-found-title = Seite nicht gefunden
page-not-found-detail = Diese Adresse gibt es beim Anmeldedienst nicht.

## What Odoo reported back (its login page carries ?oauth_error=1, 2 or 3)
odoo-error-1-title = Odoo erlaubt keine Registrierung
odoo-error-1-detail = Ihre Identität wurde bestätigt, aber Odoo hat kein Konto für Sie und lässt keine neuen Registrierungen zu. Bitten Sie Ihren Odoo-Administrator, Ihr Konto anzulegen oder Ihnen eine Einladung zu senden.
odoo-error-2-title = Odoo hat die Anmeldung abgelehnt
odoo-error-2-detail = Odoo konnte Ihre Anmeldung über diesen Dienst nicht bestätigen und hat den Zugriff daher verweigert. Versuchen Sie es erneut; falls das Problem weiterhin auftritt, geben Sie Ihrem Administrator die unten stehende Referenz.
odoo-error-3-title = Kein Zugriff auf diese Odoo-Datenbank
odoo-error-3-detail = Ihre Identität wurde bestätigt, aber Odoo hat in dieser Datenbank kein Konto für Sie gefunden oder Ihre Einladung ist abgelaufen. Bitten Sie Ihren Odoo-Administrator um Zugriff oder eine neue Einladung und versuchen Sie es dann erneut.

## Error pages: what happened and what to do
error-request-invalid-title = Diese Anmeldeanfrage ist ungültig
error-request-invalid-detail = Die Anfrage stammt nicht von einer Odoo-Instanz, die dieser Anmeldedienst kennt, oder sie wurde verändert. Kehren Sie zu Ihrer Odoo-Anmeldeseite zurück und versuchen Sie es erneut; falls das Problem weiterhin auftritt, informieren Sie Ihren Administrator.
error-unknown-provider-title = Unbekannter Anmeldeanbieter
error-unknown-provider-detail = Diese Anmeldeoption gibt es nicht. Kehren Sie zur Anmeldeseite zurück und wählen Sie eine der Schaltflächen.
error-unknown-odoo-title = Unbekannte Odoo-Instanz
error-unknown-odoo-detail = Der aufgerufene Link verweist auf eine Odoo-Instanz, die dieser Anmeldedienst nicht bedient. Verwenden Sie den Anmeldelink Ihres Odoo.
error-return-to-title = Dieser Anmeldelink ist ungültig
error-return-to-detail = Die nach der Anmeldung zu öffnende Seite muss eine Seite Ihres Odoo sein. Verwenden Sie den Anmeldelink Ihres Odoo.
error-expired-title = Ihre Anmeldung ist abgelaufen
error-expired-detail = Die Anmeldung hat zu lange gedauert, wurde bereits verwendet oder in einem anderen Browser oder Tab gestartet. Beginnen Sie neu – das dauert nur einen Moment.
error-cancelled-title = Anmeldung abgebrochen
error-cancelled-detail = Sie haben { $provider } nicht erlaubt, Sie anzumelden, oder Sie haben abgebrochen. Sie können es jederzeit erneut versuchen.
error-refused-title = Anmeldung fehlgeschlagen
error-refused-detail = { $provider } konnte Sie nicht anmelden (Fehler: { $code }). Sie können es erneut versuchen; falls das Problem weiterhin auftritt, geben Sie Ihrem Administrator die unten stehende Referenz.
error-provider-down-title = Anmeldeanbieter nicht verfügbar
error-provider-down-detail = { $provider } ist derzeit nicht erreichbar. Versuchen Sie es in einigen Minuten erneut oder melden Sie sich auf andere Weise an.
error-not-allowed-title = Konto nicht zugelassen
error-not-allowed-google-domain = Konten aus der Google Workspace-Domain { $domain } dürfen sich hier nicht anmelden. Melden Sie sich mit Ihrem Arbeitskonto an oder wenden Sie sich an Ihren Odoo-Administrator.
error-not-allowed-microsoft-tenant = Konten dieser Microsoft-Organisation ({ $tenant }) dürfen sich hier nicht anmelden. Melden Sie sich mit Ihrem Arbeitskonto an oder wenden Sie sich an Ihren Odoo-Administrator.
error-not-allowed-github-org = Ihr GitHub-Konto ist kein Mitglied einer Organisation, die sich hier anmelden darf. Bitten Sie Ihren Odoo-Administrator, Sie hinzuzufügen, oder melden Sie sich auf andere Weise an.
error-verify-failed-title = Anmeldung fehlgeschlagen
error-verify-failed-detail = Die Antwort Ihres Identitätsanbieters konnte nicht überprüft werden. Versuchen Sie es erneut; falls das Problem weiterhin auftritt, informieren Sie Ihren Administrator.
error-no-account-title = Kein Odoo-Konto
error-no-account-detail = Für { $email } gibt es kein Odoo-Konto. Bitten Sie Ihren Odoo-Administrator, eines für diese Adresse anzulegen, und melden Sie sich dann erneut an.
error-archived-title = Odoo-Konto archiviert
error-archived-detail = Das Odoo-Konto für { $email } ist archiviert. Bitten Sie Ihren Odoo-Administrator, es wiederherzustellen.
error-link-conflict-title = Konflikt bei der Kontoverknüpfung
error-link-conflict-detail = Ihr Odoo-Konto kann nicht verknüpft werden, weil ein anderes Konto bereits dieselbe Anmeldeverknüpfung hat. Ihr Administrator muss die Verknüpfungen korrigieren; geben Sie ihm die unten stehende Referenz.
error-ambiguous-title = Mehrere passende Odoo-Konten
error-ambiguous-detail = Mehr als ein Odoo-Konto verwendet { $email }, daher wurde keines ausgewählt. Bitten Sie Ihren Odoo-Administrator, diese Adresse nur bei einem Konto zu hinterlegen.
error-no-email-title = E-Mail-Adresse erforderlich
error-no-email-detail = Ihr Identitätsanbieter hat keine E-Mail-Adresse übermittelt, daher kann kein Odoo-Konto gefunden werden. Erlauben Sie den Zugriff auf Ihre E-Mail-Adresse und versuchen Sie es erneut.
error-email-unverified-title = E-Mail-Adresse nicht bestätigt
error-email-unverified-detail = Ihr Identitätsanbieter hat { $email } nicht bestätigt. Bestätigen Sie die Adresse dort und melden Sie sich dann erneut an, oder wenden Sie sich an Ihren Odoo-Administrator.
error-domain-title = Adresse nicht zugelassen
error-domain-detail = Konten wie { $email } dürfen sich bei diesem Odoo nicht anmelden. Verwenden Sie Ihr Arbeitskonto.
error-not-linked-title = Konto nicht verknüpft
error-not-linked-detail = Diese Anmeldung ist noch mit keinem Odoo-Konto verknüpft. Bitten Sie Ihren Odoo-Administrator, sie zu verknüpfen.
error-blocked-title = Zugriff gesperrt
error-blocked-detail = Ihr Administrator hat die Anmeldung über diesen Dienst für dieses Konto gesperrt. Wenden Sie sich an ihn, wenn Sie Zugriff benötigen.
error-odoo-down-title = Odoo antwortet nicht
error-odoo-down-detail = Die Anmeldung hat funktioniert, aber Odoo war nicht erreichbar, um Ihre Sitzung zu öffnen. Versuchen Sie es in einigen Minuten erneut; falls das Problem weiterhin auftritt, informieren Sie Ihren Administrator.
error-odoo-setup-title = Die Anmeldung ist nicht richtig eingerichtet
error-odoo-setup-detail = Ihre Identität wurde bestätigt, aber Odoo hat die Anfrage des Anmeldedienstes abgelehnt. Ihr Administrator muss die Einrichtung korrigieren; geben Sie ihm die unten stehende Referenz.
error-no-provider-record-title = Die Anmeldung ist in Odoo nicht eingerichtet
error-no-provider-record-detail = In Odoo gibt es keinen OAuth-Anbieter, der auf diesen Anmeldedienst verweist. Ihr Administrator muss die Einrichtung abschließen.
error-internal-title = Etwas ist schiefgelaufen
error-internal-detail = Beim Anmeldedienst ist ein interner Fehler aufgetreten. Versuchen Sie es erneut; falls das Problem weiterhin auftritt, informieren Sie Ihren Administrator.
error-too-many-title = Zu viele Versuche
error-too-many-detail = Aus Ihrem Netzwerk gab es zu viele Anmeldeversuche. Warten Sie eine Minute und versuchen Sie es dann erneut.
error-busy-title = Der Anmeldedienst ist ausgelastet
error-busy-detail = Gerade laufen zu viele Anmeldungen. Warten Sie einige Minuten und versuchen Sie es dann erneut.

## Microsoft Entra ID (AADSTS…) errors people meet most
aadsts-title = Microsoft konnte Sie nicht anmelden
aadsts-code = Microsoft-Fehler { $code }
aadsts-50011 = Die bei Microsoft registrierte Anmeldeadresse stimmt nicht mit diesem Dienst überein. Ihr Administrator muss den Umleitungs-URI dieses Dienstes zur App-Registrierung in Entra ID hinzufügen.
aadsts-50020 = Ihr Konto gehört nicht zu der Microsoft-Organisation, für die dieser Dienst eingerichtet ist. Melden Sie sich mit Ihrem Arbeitskonto an oder bitten Sie Ihren Administrator, Sie als Gast einzuladen.
aadsts-50034 = Microsoft kennt dieses Konto in der Organisation nicht. Überprüfen Sie die eingegebene Adresse oder melden Sie sich mit Ihrem Arbeitskonto an.
aadsts-50053 = Ihr Microsoft-Konto ist wegen zu vieler Anmeldeversuche vorübergehend gesperrt. Warten Sie eine Weile und versuchen Sie es dann erneut.
aadsts-50055 = Ihr Microsoft-Passwort ist abgelaufen. Ändern Sie es bei Microsoft und melden Sie sich dann erneut an.
aadsts-50057 = Ihr Microsoft-Konto ist deaktiviert. Wenden Sie sich an Ihren Administrator.
aadsts-50058 = Microsoft konnte Sie in diesem Browser nicht erkennen. Melden Sie sich erneut bei Microsoft an und versuchen Sie es dann noch einmal.
aadsts-50076 = Ihre Organisation verlangt einen zweiten Anmeldeschritt, der nicht abgeschlossen wurde. Versuchen Sie es erneut und schließen Sie die mehrstufige Authentifizierung ab.
aadsts-50105 = Ihr Administrator hat Ihnen in Entra ID keinen Zugriff auf diese Anwendung gewährt. Bitten Sie ihn, Sie der App zuzuweisen.
aadsts-50126 = Der Benutzername oder das Passwort ist falsch. Versuchen Sie es erneut.
aadsts-53003 = Die Richtlinien für bedingten Zugriff Ihrer Organisation haben diese Anmeldung blockiert (zum Beispiel wegen des Geräts oder des Standorts). Wenden Sie sich an Ihren Administrator.
aadsts-65001 = Diese Anwendung benötigt eine Einwilligung, bevor sie in Ihrer Organisation verwendet werden kann. Bitten Sie einen Administrator, in Entra ID die Einwilligung zu erteilen.
aadsts-65004 = Sie haben die von dieser Anwendung angeforderten Berechtigungen abgelehnt. Versuchen Sie es erneut und stimmen Sie zu, oder wenden Sie sich an Ihren Administrator.
aadsts-70011 = Die Anwendung fordert bei Microsoft eine ungültige Berechtigung an. Ihr Administrator muss die für diesen Anbieter konfigurierten Bereiche korrigieren.
aadsts-90072 = Ihr Konto stammt aus einer anderen Organisation und ist in dieser nicht als Gast eingetragen. Bitten Sie Ihren Administrator, Sie einzuladen, oder melden Sie sich mit Ihrem Arbeitskonto an.
aadsts-700016 = Die Anwendung ist in dieser Microsoft-Organisation nicht registriert. Ihr Administrator muss die Client-ID und den Mandanten prüfen, die für diesen Anbieter konfiguriert sind.
aadsts-7000215 = Microsoft hat den geheimen Clientschlüssel dieses Dienstes abgelehnt. Ihr Administrator muss den geheimen Schlüssel aktualisieren (er ist möglicherweise abgelaufen).
aadsts-7000222 = Der geheime Clientschlüssel dieses Dienstes bei Microsoft ist abgelaufen. Ihr Administrator muss einen neuen geheimen Schlüssel erstellen und die Konfiguration aktualisieren.
aadsts-other = Versuchen Sie es erneut; falls das Problem weiterhin auftritt, geben Sie Ihrem Administrator den Microsoft-Fehlercode und die unten stehende Referenz.
