# Login Bridge: every text people read, in French. This file mirrors en/main.ftl:
# the same message ids in the same order, with the same variables. Add new keys to
# en/main.ftl first, then translate them here.

## The provider page and its embedded (iframe) version
page-title = Connexion
page-heading = Connexion
continue-with = Continuer avec { $provider }
provider-connecting = connexion…
provider-unavailable = temporairement indisponible
provider-busy = Ouverture de { $provider }…
last-used = Utilisé la dernière fois
password-login = Se connecter plutôt avec un mot de passe
no-providers = Aucun fournisseur de connexion n'est configuré. Contactez votre administrateur.
reference = Référence :
logo-alt = Logo de { $odoo }
email-label = Adresse e-mail professionnelle
email-submit = Continuer
email-hint = Saisissez votre adresse e-mail professionnelle et nous vous redirigerons vers la page de connexion de votre organisation.
email-divider = ou choisissez un compte
email-invalid = Saisissez une adresse e-mail, par exemple nom@example.com.
email-unknown-domain = Aucun fournisseur de connexion n'est configuré pour { $domain }. Choisissez l'un des boutons ci-dessous.
shared-with-odoo = { $odoo } reçoit uniquement votre nom et votre adresse e-mail du compte que vous choisissez. Votre mot de passe reste chez ce fournisseur.

## Why the page cannot offer a button
link-invalid-title = Ce lien de connexion n'est pas valide
request-expired = Cette demande de connexion a expiré. Revenez à votre page de connexion Odoo et recommencez.
back-to-odoo = Retour à la page de connexion Odoo
try-again = Réessayer
page-not-found-title = Page introuvable
page-not-found-detail = Cette adresse n'existe pas sur le service de connexion.

## What Odoo reported back (its login page carries ?oauth_error=1, 2 or 3)
odoo-error-1-title = Odoo n'autorise pas l'inscription
odoo-error-1-detail = Votre identité a été confirmée, mais Odoo n'a aucun compte pour vous et n'accepte pas de nouvelles inscriptions. Demandez à votre administrateur Odoo de créer votre compte ou de vous envoyer une invitation.
odoo-error-2-title = Odoo a refusé la connexion
odoo-error-2-detail = Odoo n'a pas pu confirmer votre connexion via ce service et a donc refusé l'accès. Réessayez ; si le problème persiste, communiquez à votre administrateur la référence ci-dessous.
odoo-error-3-title = Pas d'accès à cette base de données Odoo
odoo-error-3-detail = Votre identité a été confirmée, mais Odoo n'a trouvé aucun compte pour vous dans cette base de données, ou votre invitation a expiré. Demandez l'accès ou une nouvelle invitation à votre administrateur Odoo, puis réessayez.

## Error pages: what happened and what to do
error-request-invalid-title = Cette demande de connexion n'est pas valide
error-request-invalid-detail = La demande ne provient pas d'une instance Odoo connue de ce service de connexion, ou elle a été modifiée. Revenez à votre page de connexion Odoo et réessayez ; si le problème persiste, prévenez votre administrateur.
error-unknown-provider-title = Fournisseur de connexion inconnu
error-unknown-provider-detail = Cette option de connexion n'existe pas. Revenez à la page de connexion et choisissez l'un des boutons.
error-unknown-odoo-title = Odoo inconnu
error-unknown-odoo-detail = Le lien que vous avez suivi désigne une instance Odoo que ce service de connexion ne dessert pas. Utilisez le lien de connexion de votre Odoo.
error-return-to-title = Ce lien de connexion n'est pas valide
error-return-to-detail = La page à ouvrir après la connexion doit être une page de votre Odoo. Utilisez le lien de connexion de votre Odoo.
error-expired-title = Votre connexion a expiré
error-expired-detail = La connexion a pris trop de temps, a déjà été utilisée ou a été lancée dans un autre navigateur ou onglet. Recommencez : cela ne prend qu'un instant.
error-cancelled-title = La connexion a été annulée
error-cancelled-detail = Vous n'avez pas autorisé { $provider } à vous connecter, ou vous avez annulé. Vous pouvez réessayer quand vous le souhaitez.
error-refused-title = Échec de la connexion
error-refused-detail = { $provider } n'a pas pu vous connecter (erreur : { $code }). Vous pouvez réessayer ; si le problème persiste, communiquez à votre administrateur la référence ci-dessous.
error-provider-down-title = Fournisseur de connexion indisponible
error-provider-down-detail = { $provider } est injoignable pour le moment. Réessayez dans quelques minutes ou utilisez un autre moyen de connexion.
error-not-allowed-title = Compte non autorisé
error-not-allowed-google-domain = Les comptes du domaine Google Workspace { $domain } ne peuvent pas se connecter ici. Connectez-vous avec votre compte professionnel ou contactez votre administrateur Odoo.
error-not-allowed-microsoft-tenant = Les comptes de cette organisation Microsoft ({ $tenant }) ne peuvent pas se connecter ici. Connectez-vous avec votre compte professionnel ou contactez votre administrateur Odoo.
error-not-allowed-github-org = Votre compte GitHub n'est membre d'aucune organisation autorisée à se connecter ici. Demandez à votre administrateur Odoo de vous ajouter, ou connectez-vous autrement.
error-verify-failed-title = Échec de la connexion
error-verify-failed-detail = La réponse de votre fournisseur d'identité n'a pas pu être vérifiée. Réessayez ; si le problème persiste, prévenez votre administrateur.
error-no-account-title = Aucun compte Odoo
error-no-account-detail = Il n'existe aucun compte Odoo pour { $email }. Demandez à votre administrateur Odoo d'en créer un pour cette adresse, puis reconnectez-vous.
error-archived-title = Compte Odoo archivé
error-archived-detail = Le compte Odoo de { $email } est archivé. Demandez à votre administrateur Odoo de le restaurer.
error-link-conflict-title = Conflit de liaison de compte
error-link-conflict-detail = Votre compte Odoo ne peut pas être lié, car un autre compte possède déjà le même lien de connexion. Votre administrateur doit corriger les liaisons ; communiquez-lui la référence ci-dessous.
error-ambiguous-title = Plusieurs comptes Odoo correspondent
error-ambiguous-detail = Plusieurs comptes Odoo utilisent { $email }, aucun n'a donc été choisi. Demandez à votre administrateur Odoo de n'associer cette adresse qu'à un seul compte.
error-no-email-title = Adresse e-mail requise
error-no-email-detail = Votre fournisseur d'identité n'a pas partagé d'adresse e-mail, aucun compte Odoo ne peut donc être trouvé. Autorisez l'accès à votre adresse e-mail et réessayez.
error-email-unverified-title = Adresse e-mail non vérifiée
error-email-unverified-detail = Votre fournisseur d'identité n'a pas vérifié { $email }. Vérifiez l'adresse auprès de lui, puis reconnectez-vous, ou contactez votre administrateur Odoo.
error-domain-title = Adresse non autorisée
error-domain-detail = Les comptes comme { $email } ne peuvent pas se connecter à cet Odoo. Utilisez votre compte professionnel.
error-not-linked-title = Compte non lié
error-not-linked-detail = Cette connexion n'est encore liée à aucun compte Odoo. Demandez à votre administrateur Odoo de la lier.
error-blocked-title = Accès bloqué
error-blocked-detail = Votre administrateur a bloqué la connexion via ce service pour ce compte. Contactez-le si vous avez besoin d'un accès.
error-odoo-down-title = Odoo ne répond pas
error-odoo-down-detail = La connexion a réussi, mais Odoo est injoignable pour ouvrir votre session. Réessayez dans quelques minutes ; si le problème persiste, prévenez votre administrateur.
error-odoo-setup-title = La connexion n'est pas correctement configurée
error-odoo-setup-detail = Votre identité a été confirmée, mais Odoo a refusé la requête du service de connexion. Votre administrateur doit corriger la configuration ; communiquez-lui la référence ci-dessous.
error-no-provider-record-title = La connexion n'est pas configurée dans Odoo
error-no-provider-record-detail = Odoo n'a aucun fournisseur OAuth pointant vers ce service de connexion. Votre administrateur doit terminer la configuration.
error-internal-title = Un problème est survenu
error-internal-detail = Le service de connexion a rencontré un problème interne. Réessayez ; si le problème persiste, prévenez votre administrateur.
error-too-many-title = Trop de tentatives
error-too-many-detail = Trop de tentatives de connexion ont été effectuées depuis votre réseau. Patientez une minute, puis réessayez.
error-busy-title = Le service de connexion est saturé
error-busy-detail = Trop de connexions sont en cours en ce moment. Patientez quelques minutes, puis réessayez.

## Microsoft Entra ID (AADSTS…) errors people meet most
aadsts-title = Microsoft n'a pas pu vous connecter
aadsts-code = Erreur Microsoft { $code }
aadsts-50011 = L'adresse de connexion enregistrée chez Microsoft ne correspond pas à ce service. Votre administrateur doit ajouter l'URI de redirection de ce service à l'inscription d'application dans Entra ID.
aadsts-50020 = Votre compte ne fait pas partie de l'organisation Microsoft pour laquelle ce service est configuré. Connectez-vous avec votre compte professionnel ou demandez à votre administrateur de vous inviter en tant qu'invité.
aadsts-50034 = Microsoft ne connaît pas ce compte dans l'organisation. Vérifiez l'adresse saisie ou connectez-vous avec votre compte professionnel.
aadsts-50053 = Votre compte Microsoft est temporairement verrouillé en raison d'un trop grand nombre de tentatives de connexion. Patientez un moment, puis réessayez.
aadsts-50055 = Votre mot de passe Microsoft a expiré. Changez-le chez Microsoft, puis reconnectez-vous.
aadsts-50057 = Votre compte Microsoft est désactivé. Contactez votre administrateur.
aadsts-50058 = Microsoft n'a pas pu vous identifier depuis ce navigateur. Reconnectez-vous à Microsoft, puis réessayez.
aadsts-50076 = Votre organisation exige une deuxième étape de connexion qui n'a pas été effectuée. Réessayez et terminez l'authentification multifacteur.
aadsts-50105 = Votre administrateur ne vous a pas donné accès à cette application dans Entra ID. Demandez-lui de vous affecter à l'application.
aadsts-50126 = Le nom d'utilisateur ou le mot de passe est incorrect. Réessayez.
aadsts-53003 = Les stratégies d'accès conditionnel de votre organisation ont bloqué cette connexion (par exemple à cause de l'appareil ou de l'emplacement). Contactez votre administrateur.
aadsts-65001 = Cette application nécessite un consentement avant de pouvoir être utilisée dans votre organisation. Demandez à un administrateur d'accorder le consentement dans Entra ID.
aadsts-65004 = Vous avez refusé d'accorder à cette application les autorisations qu'elle demande. Réessayez en acceptant, ou contactez votre administrateur.
aadsts-70011 = L'application demande à Microsoft une autorisation non valide. Votre administrateur doit corriger les étendues configurées pour ce fournisseur.
aadsts-90072 = Votre compte provient d'une autre organisation et n'est pas invité dans celle-ci. Demandez à votre administrateur de vous inviter, ou connectez-vous avec votre compte professionnel.
aadsts-700016 = L'application n'est pas inscrite dans cette organisation Microsoft. Votre administrateur doit vérifier l'ID client et le locataire configurés pour ce fournisseur.
aadsts-7000215 = Microsoft a rejeté le secret client de ce service. Votre administrateur doit mettre à jour le secret (il a peut-être expiré).
aadsts-7000222 = Le secret client de ce service chez Microsoft a expiré. Votre administrateur doit créer un nouveau secret et mettre à jour la configuration.
aadsts-other = Réessayez ; si le problème persiste, communiquez à votre administrateur le code d'erreur Microsoft et la référence ci-dessous.
