# Login Bridge: every text people read, in Spanish. This file mirrors en/main.ftl:
# the same message ids in the same order, with the same variables. Add new keys to
# en/main.ftl first, then translate them here.

## The provider page and its embedded (iframe) version
page-title = Iniciar sesión
page-heading = Iniciar sesión
continue-with = Continuar con { $provider }
provider-connecting = conectando…
provider-unavailable = no disponible temporalmente
provider-busy = Abriendo { $provider }…
last-used = Usado la última vez
password-login = Iniciar sesión con contraseña
no-providers = No hay ningún proveedor de inicio de sesión configurado. Consulta a tu administrador.
reference = Referencia:
logo-alt = Logotipo de { $odoo }
email-label = Correo electrónico del trabajo
email-submit = Continuar
email-hint = Escribe tu correo electrónico del trabajo y te llevaremos a la página de inicio de sesión de tu organización.
email-divider = o elige una cuenta
email-invalid = Escribe una dirección de correo electrónico, como nombre@example.com.
email-unknown-domain = No hay ningún proveedor de inicio de sesión configurado para { $domain }. Elige uno de los botones de abajo.
shared-with-odoo = { $odoo } solo recibe su nombre y su dirección de correo electrónico de la cuenta que elija. Su contraseña se queda en ese proveedor.

## Why the page cannot offer a button
link-invalid-title = Este enlace de inicio de sesión no es válido
request-expired = Esta solicitud de inicio de sesión ha caducado. Vuelve a tu página de inicio de sesión de Odoo y empieza de nuevo.
back-to-odoo = Volver a la página de inicio de sesión de Odoo
try-again = Volver a intentarlo
page-not-found-title = Página no encontrada
page-not-found-detail = Esta dirección no existe en el servicio de inicio de sesión.

## What Odoo reported back (its login page carries ?oauth_error=1, 2 or 3)
odoo-error-1-title = Odoo no permite registrarse
odoo-error-1-detail = Se ha confirmado tu identidad, pero Odoo no tiene ninguna cuenta para ti y no permite que se registren nuevos usuarios. Pide a tu administrador de Odoo que cree tu cuenta o que te envíe una invitación.
odoo-error-2-title = Odoo ha rechazado el inicio de sesión
odoo-error-2-detail = Odoo no ha podido confirmar tu inicio de sesión con este servicio, así que ha denegado el acceso. Vuelve a intentarlo; si sigue ocurriendo, facilita a tu administrador la referencia que aparece abajo.
odoo-error-3-title = Sin acceso a esta base de datos de Odoo
odoo-error-3-detail = Se ha confirmado tu identidad, pero Odoo no ha encontrado ninguna cuenta tuya en esta base de datos o tu invitación ha caducado. Pide acceso o una nueva invitación a tu administrador de Odoo y vuelve a intentarlo.

## Error pages: what happened and what to do
error-request-invalid-title = Esta solicitud de inicio de sesión no es válida
error-request-invalid-detail = La solicitud no procede de ninguna instancia de Odoo que conozca este servicio de inicio de sesión, o se ha modificado. Vuelve a tu página de inicio de sesión de Odoo e inténtalo de nuevo; si sigue ocurriendo, avisa a tu administrador.
error-unknown-provider-title = Proveedor de inicio de sesión desconocido
error-unknown-provider-detail = Esta opción de inicio de sesión no existe. Vuelve a la página de inicio de sesión y elige uno de los botones.
error-unknown-odoo-title = Odoo desconocido
error-unknown-odoo-detail = El enlace que has seguido indica una instancia de Odoo a la que este servicio de inicio de sesión no da servicio. Usa el enlace de inicio de sesión de tu Odoo.
error-return-to-title = Este enlace de inicio de sesión no es válido
error-return-to-detail = La página que se abre después de iniciar sesión debe ser una página de tu Odoo. Usa el enlace de inicio de sesión de tu Odoo.
error-expired-title = Tu inicio de sesión ha caducado
error-expired-detail = El inicio de sesión tardó demasiado, ya se había usado o se inició en otro navegador o pestaña. Empieza de nuevo: solo tardarás un momento.
error-cancelled-title = Se ha cancelado el inicio de sesión
error-cancelled-detail = No has dado permiso a { $provider } para iniciar tu sesión, o has cancelado. Puedes volver a intentarlo cuando quieras.
error-refused-title = No se ha podido iniciar sesión
error-refused-detail = { $provider } no ha podido iniciar tu sesión (error: { $code }). Puedes volver a intentarlo; si sigue ocurriendo, facilita a tu administrador la referencia que aparece abajo.
error-provider-down-title = Proveedor de inicio de sesión no disponible
error-provider-down-detail = Ahora mismo no se puede contactar con { $provider }. Vuelve a intentarlo en unos minutos o usa otra forma de iniciar sesión.
error-not-allowed-title = Cuenta no permitida
error-not-allowed-google-domain = Las cuentas del dominio de Google Workspace { $domain } no pueden iniciar sesión aquí. Inicia sesión con tu cuenta del trabajo o consulta a tu administrador de Odoo.
error-not-allowed-microsoft-tenant = Las cuentas de esta organización de Microsoft ({ $tenant }) no pueden iniciar sesión aquí. Inicia sesión con tu cuenta del trabajo o consulta a tu administrador de Odoo.
error-not-allowed-github-org = Tu cuenta de GitHub no es miembro de ninguna organización autorizada para iniciar sesión aquí. Pide a tu administrador de Odoo que te añada o inicia sesión de otra forma.
error-verify-failed-title = No se ha podido iniciar sesión
error-verify-failed-detail = No se ha podido verificar la respuesta de tu proveedor de identidad. Vuelve a intentarlo; si sigue ocurriendo, avisa a tu administrador.
error-no-account-title = No hay ninguna cuenta de Odoo
error-no-account-detail = No existe ninguna cuenta de Odoo para { $email }. Pide a tu administrador de Odoo que cree una para esta dirección y vuelve a iniciar sesión.
error-archived-title = Cuenta de Odoo archivada
error-archived-detail = La cuenta de Odoo de { $email } está archivada. Pide a tu administrador de Odoo que la restaure.
error-link-conflict-title = Conflicto al vincular la cuenta
error-link-conflict-detail = No se puede vincular tu cuenta de Odoo porque otra cuenta ya tiene el mismo vínculo de inicio de sesión. Tu administrador debe corregir los vínculos; facilítale la referencia que aparece abajo.
error-ambiguous-title = Coinciden varias cuentas de Odoo
error-ambiguous-detail = Hay más de una cuenta de Odoo que usa { $email }, así que no se ha elegido ninguna. Pide a tu administrador de Odoo que deje esta dirección en una sola cuenta.
error-no-email-title = Se necesita una dirección de correo electrónico
error-no-email-detail = Tu proveedor de identidad no ha compartido ninguna dirección de correo electrónico, así que no se puede encontrar ninguna cuenta de Odoo. Concede el permiso de correo electrónico y vuelve a intentarlo.
error-email-unverified-title = Dirección de correo electrónico no verificada
error-email-unverified-detail = Tu proveedor de identidad no ha verificado { $email }. Verifica la dirección allí y vuelve a iniciar sesión, o consulta a tu administrador de Odoo.
error-domain-title = Dirección no permitida
error-domain-detail = Las cuentas como { $email } no pueden iniciar sesión en este Odoo. Usa tu cuenta del trabajo.
error-not-linked-title = Cuenta no vinculada
error-not-linked-detail = Este inicio de sesión aún no está vinculado a ninguna cuenta de Odoo. Pide a tu administrador de Odoo que lo vincule.
error-blocked-title = Acceso bloqueado
error-blocked-detail = Tu administrador ha bloqueado el inicio de sesión mediante este servicio para esta cuenta. Ponte en contacto con tu administrador si necesitas acceso.
error-odoo-down-title = Odoo no responde
error-odoo-down-detail = El inicio de sesión ha funcionado, pero no se ha podido contactar con Odoo para abrir tu sesión. Vuelve a intentarlo en unos minutos; si sigue ocurriendo, avisa a tu administrador.
error-odoo-setup-title = El inicio de sesión no está bien configurado
error-odoo-setup-detail = Se ha confirmado tu identidad, pero Odoo ha rechazado la solicitud del servicio de inicio de sesión. Tu administrador debe corregir la configuración; facilítale la referencia que aparece abajo.
error-no-provider-record-title = El inicio de sesión no está configurado en Odoo
error-no-provider-record-detail = Odoo no tiene ningún proveedor OAuth que apunte a este servicio de inicio de sesión. Tu administrador debe terminar la configuración.
error-internal-title = Algo ha salido mal
error-internal-detail = El servicio de inicio de sesión ha tenido un problema interno. Vuelve a intentarlo; si sigue ocurriendo, avisa a tu administrador.
error-too-many-title = Demasiados intentos
error-too-many-detail = Ha habido demasiados intentos de inicio de sesión desde tu red. Espera un minuto y vuelve a intentarlo.
error-busy-title = El servicio de inicio de sesión está saturado
error-busy-detail = Hay demasiados inicios de sesión en curso en este momento. Espera unos minutos y vuelve a intentarlo.

## Microsoft Entra ID (AADSTS…) errors people meet most
aadsts-title = Microsoft no ha podido iniciar tu sesión
aadsts-code = Error de Microsoft { $code }
aadsts-50011 = La dirección de inicio de sesión registrada en Microsoft no coincide con este servicio. Tu administrador debe añadir el URI de redirección de este servicio al registro de la aplicación en Entra ID.
aadsts-50020 = Tu cuenta no pertenece a la organización de Microsoft para la que está configurado este servicio. Inicia sesión con tu cuenta del trabajo o pide a tu administrador que te invite como invitado.
aadsts-50034 = Microsoft no reconoce esta cuenta en la organización. Comprueba la dirección que has escrito o inicia sesión con tu cuenta del trabajo.
aadsts-50053 = Tu cuenta de Microsoft está bloqueada temporalmente por demasiados intentos de inicio de sesión. Espera un rato y vuelve a intentarlo.
aadsts-50055 = Tu contraseña de Microsoft ha caducado. Cámbiala en Microsoft y vuelve a iniciar sesión.
aadsts-50057 = Tu cuenta de Microsoft está deshabilitada. Ponte en contacto con tu administrador.
aadsts-50058 = Microsoft no ha podido identificarte desde este navegador. Vuelve a iniciar sesión en Microsoft y, después, inténtalo de nuevo.
aadsts-50076 = Tu organización exige un segundo paso de inicio de sesión que no se ha completado. Vuelve a intentarlo y completa la autenticación multifactor.
aadsts-50105 = Tu administrador no te ha dado acceso a esta aplicación en Entra ID. Pídele que te asigne a la aplicación.
aadsts-50126 = El nombre de usuario o la contraseña no son correctos. Vuelve a intentarlo.
aadsts-53003 = Las directivas de acceso condicional de tu organización han bloqueado este inicio de sesión (por ejemplo, por el dispositivo o la ubicación). Ponte en contacto con tu administrador.
aadsts-65001 = Esta aplicación necesita consentimiento antes de poder usarse en tu organización. Pide a un administrador que conceda el consentimiento en Entra ID.
aadsts-65004 = Has rechazado dar a esta aplicación los permisos que solicita. Vuelve a intentarlo y acéptalos, o consulta a tu administrador.
aadsts-70011 = La aplicación solicita a Microsoft un permiso que no es válido. Tu administrador debe corregir los ámbitos configurados para este proveedor.
aadsts-90072 = Tu cuenta pertenece a otra organización y no es invitada en esta. Pide a tu administrador que te invite o inicia sesión con tu cuenta del trabajo.
aadsts-700016 = La aplicación no está registrada en esta organización de Microsoft. Tu administrador debe comprobar el ID de cliente y el inquilino configurados para este proveedor.
aadsts-7000215 = Microsoft ha rechazado el secreto de cliente de este servicio. Tu administrador debe actualizar el secreto (puede que haya caducado).
aadsts-7000222 = El secreto de cliente de este servicio en Microsoft ha caducado. Tu administrador debe crear un secreto nuevo y actualizar la configuración.
aadsts-other = Vuelve a intentarlo; si sigue ocurriendo, facilita a tu administrador el código de error de Microsoft y la referencia que aparece abajo.
