# Login Bridge: every text people read, in Portuguese (European, readable in Brazil). This file mirrors en/main.ftl:
# the same message ids in the same order, with the same variables. Add new keys to
# en/main.ftl first, then translate them here.

## The provider page and its embedded (iframe) version
page-title = Iniciar sessão
page-heading = Iniciar sessão
continue-with = Continuar com { $provider }
provider-connecting = aguarde…
provider-unavailable = temporariamente indisponível
provider-busy = A abrir { $provider }…
last-used = Usado da última vez
password-login = Iniciar sessão com palavra-passe
no-providers = Não existe nenhum fornecedor de início de sessão configurado. Fale com o seu administrador.
reference = Referência:
logo-alt = Logo de { $odoo }
email-label = E-mail profissional
email-submit = Continuar
email-hint = Insira o seu e-mail profissional para ir para a página de início de sessão da sua organização.
email-divider = ou escolha uma conta
email-invalid = Insira um endereço de e-mail, por exemplo nome@example.com.
email-unknown-domain = Não existe nenhum fornecedor de início de sessão configurado para { $domain }. Escolha um dos botões abaixo.
shared-with-odoo = { $odoo } recebe apenas o seu nome e o seu endereço de e-mail da conta que escolher. A sua palavra-passe fica com esse fornecedor.

## Why the page cannot offer a button
link-invalid-title = Este link de início de sessão não é válido
request-expired = Este pedido de início de sessão expirou. Volte à página de início de sessão do Odoo e comece de novo.
back-to-odoo = Voltar à página de início de sessão do Odoo
try-again = Tentar novamente
page-not-found-title = Página não encontrada
page-not-found-detail = Este endereço não existe no serviço de início de sessão.

## What Odoo reported back (its login page carries ?oauth_error=1, 2 or 3)
odoo-error-1-title = O Odoo não permite criar contas
odoo-error-1-detail = A sua identidade foi confirmada, mas não existe nenhuma conta sua no Odoo e o Odoo não permite criar novas contas. Peça ao seu administrador do Odoo que crie a sua conta ou lhe envie um convite.
odoo-error-2-title = O Odoo recusou o início de sessão
odoo-error-2-detail = O Odoo não conseguiu confirmar o seu início de sessão com este serviço e, por isso, negou o acesso. Tente novamente; se o problema persistir, indique ao seu administrador a referência abaixo.
odoo-error-3-title = Sem acesso a esta base de dados do Odoo
odoo-error-3-detail = A sua identidade foi confirmada, mas o Odoo não encontrou nenhuma conta sua nesta base de dados, ou o seu convite expirou. Peça acesso ou um novo convite ao seu administrador do Odoo e tente novamente.

## Error pages: what happened and what to do
error-request-invalid-title = Este pedido de início de sessão não é válido
error-request-invalid-detail = O pedido não veio de um Odoo conhecido por este serviço de início de sessão, ou foi alterado. Volte à página de início de sessão do Odoo e tente novamente; se o problema persistir, informe o seu administrador.
error-unknown-provider-title = Fornecedor de início de sessão desconhecido
error-unknown-provider-detail = Esta opção de início de sessão não existe. Volte à página de início de sessão e escolha um dos botões.
error-unknown-odoo-title = Odoo desconhecido
error-unknown-odoo-detail = O link que seguiu indica um Odoo que este serviço de início de sessão não serve. Use o link de início de sessão do seu Odoo.
error-return-to-title = Este link de início de sessão não é válido
error-return-to-detail = A página a abrir depois do início de sessão deve ser uma página do seu Odoo. Use o link de início de sessão do seu Odoo.
error-expired-title = O seu início de sessão expirou
error-expired-detail = O início de sessão demorou muito tempo, já foi utilizado ou foi iniciado noutro navegador ou noutra janela. Comece de novo: só demora um momento.
error-cancelled-title = O início de sessão foi cancelado
error-cancelled-detail = Não autorizou { $provider } a iniciar a sua sessão, ou cancelou. Pode tentar novamente quando quiser.
error-refused-title = Falha no início de sessão
error-refused-detail = { $provider } não conseguiu iniciar a sua sessão (erro: { $code }). Pode tentar novamente; se o problema persistir, indique ao seu administrador a referência abaixo.
error-provider-down-title = Fornecedor de início de sessão indisponível
error-provider-down-detail = { $provider } não está acessível neste momento. Tente novamente daqui a alguns minutos ou inicie sessão de outra forma.
error-not-allowed-title = Conta não permitida
error-not-allowed-google-domain = As contas do domínio Google Workspace { $domain } não podem iniciar sessão aqui. Inicie sessão com a sua conta profissional ou fale com o seu administrador do Odoo.
error-not-allowed-microsoft-tenant = As contas desta organização Microsoft ({ $tenant }) não podem iniciar sessão aqui. Inicie sessão com a sua conta profissional ou fale com o seu administrador do Odoo.
error-not-allowed-github-org = A sua conta GitHub não é membro de nenhuma organização autorizada a iniciar sessão aqui. Peça ao seu administrador do Odoo para adicionar a sua conta, ou inicie sessão de outra forma.
error-verify-failed-title = Falha no início de sessão
error-verify-failed-detail = Não foi possível verificar a resposta do seu fornecedor de identidade. Tente novamente; se o problema persistir, informe o seu administrador.
error-no-account-title = Nenhuma conta do Odoo
error-no-account-detail = Não existe nenhuma conta do Odoo para { $email }. Peça ao seu administrador do Odoo que crie uma para este endereço e depois inicie sessão novamente.
error-archived-title = Conta do Odoo arquivada
error-archived-detail = A conta do Odoo de { $email } está arquivada. Peça ao seu administrador do Odoo que a restaure.
error-link-conflict-title = Conflito na associação da conta
error-link-conflict-detail = Não é possível associar a sua conta do Odoo porque outra conta já tem a mesma associação de início de sessão. O seu administrador deve corrigir as associações; indique-lhe a referência abaixo.
error-ambiguous-title = Várias contas do Odoo correspondem
error-ambiguous-detail = Mais do que uma conta do Odoo usa { $email }, por isso nenhuma foi escolhida. Peça ao seu administrador do Odoo que deixe este endereço numa só conta.
error-no-email-title = É necessário um endereço de e-mail
error-no-email-detail = O seu fornecedor de identidade não forneceu nenhum endereço de e-mail, por isso não é possível encontrar uma conta do Odoo. Permita o acesso ao e-mail e tente novamente.
error-email-unverified-title = Endereço de e-mail não verificado
error-email-unverified-detail = O seu fornecedor de identidade não verificou { $email }. Verifique o endereço junto desse fornecedor e inicie sessão novamente, ou fale com o seu administrador do Odoo.
error-domain-title = Endereço não permitido
error-domain-detail = Contas como { $email } não podem iniciar sessão neste Odoo. Use a sua conta profissional.
error-not-linked-title = Conta não associada
error-not-linked-detail = Este início de sessão ainda não está associado a nenhuma conta do Odoo. Peça ao seu administrador do Odoo que o associe.
error-blocked-title = Acesso bloqueado
error-blocked-detail = O seu administrador bloqueou o início de sessão através deste serviço para esta conta. Fale com o seu administrador se precisar de acesso.
error-odoo-down-title = O Odoo não responde
error-odoo-down-detail = O início de sessão funcionou, mas o Odoo não estava acessível para abrir a sua sessão. Tente novamente daqui a alguns minutos; se o problema persistir, informe o seu administrador.
error-odoo-setup-title = O início de sessão não está bem configurado
error-odoo-setup-detail = A sua identidade foi confirmada, mas o Odoo recusou o pedido do serviço de início de sessão. O seu administrador deve corrigir a configuração; indique-lhe a referência abaixo.
error-no-provider-record-title = O início de sessão não está configurado no Odoo
error-no-provider-record-detail = O Odoo não tem nenhum fornecedor OAuth que aponte para este serviço de início de sessão. O seu administrador deve concluir a configuração.
error-internal-title = Ocorreu um problema
error-internal-detail = O serviço de início de sessão teve um problema interno. Tente novamente; se o problema persistir, informe o seu administrador.
error-too-many-title = Demasiadas tentativas
error-too-many-detail = Houve demasiadas tentativas de início de sessão a partir da sua rede. Aguarde um minuto e tente novamente.
error-busy-title = O serviço de início de sessão está sobrecarregado
error-busy-detail = Há demasiados inícios de sessão em curso neste momento. Aguarde alguns minutos e tente novamente.

## Microsoft Entra ID (AADSTS…) errors people meet most
aadsts-title = A Microsoft não conseguiu iniciar a sua sessão
aadsts-code = Erro da Microsoft { $code }
aadsts-50011 = O endereço de início de sessão configurado na Microsoft não corresponde a este serviço. O seu administrador deve adicionar o URI de redirecionamento deste serviço à configuração da aplicação no Entra ID.
aadsts-50020 = A sua conta não faz parte da organização Microsoft para a qual este serviço está configurado. Inicie sessão com a sua conta profissional ou peça ao seu administrador um convite como convidado.
aadsts-50034 = A Microsoft não conhece esta conta na organização. Verifique o endereço que escreveu ou inicie sessão com a sua conta profissional.
aadsts-50053 = A sua conta Microsoft está temporariamente bloqueada devido a demasiadas tentativas de início de sessão. Aguarde algum tempo e tente novamente.
aadsts-50055 = A sua palavra-passe Microsoft expirou. Altere-a na Microsoft e inicie sessão novamente.
aadsts-50057 = A sua conta Microsoft está desativada. Fale com o seu administrador.
aadsts-50058 = A Microsoft não conseguiu reconhecer a sua sessão neste navegador. Inicie sessão novamente na Microsoft e tente outra vez.
aadsts-50076 = A sua organização exige um segundo passo de início de sessão que não foi concluído. Tente novamente e conclua a autenticação multifator.
aadsts-50105 = O seu administrador não lhe deu acesso a esta aplicação no Entra ID. Peça-lhe que atribua a aplicação à sua conta.
aadsts-50126 = O nome da conta ou a palavra-passe estão incorretos. Tente novamente.
aadsts-53003 = As políticas de Acesso Condicional da sua organização bloquearam este início de sessão (por exemplo, devido ao dispositivo ou à localização). Fale com o seu administrador.
aadsts-65001 = Esta aplicação precisa de consentimento antes de poder ser utilizada na sua organização. Peça a um administrador que conceda consentimento no Entra ID.
aadsts-65004 = Recusou dar a esta aplicação as permissões que ela pede. Tente novamente e aceite, ou fale com o seu administrador.
aadsts-70011 = A aplicação pede à Microsoft uma permissão que não é válida. O seu administrador deve corrigir os âmbitos (scopes) configurados para este fornecedor.
aadsts-90072 = A sua conta pertence a outra organização e não é convidada nesta. Peça ao seu administrador um convite, ou inicie sessão com a sua conta profissional.
aadsts-700016 = A aplicação não existe nesta organização Microsoft. O seu administrador deve verificar o ID do cliente e o inquilino configurados para este fornecedor.
aadsts-7000215 = A Microsoft rejeitou o segredo do cliente deste serviço. O seu administrador deve atualizar o segredo (pode ter expirado).
aadsts-7000222 = O segredo do cliente deste serviço na Microsoft expirou. O seu administrador deve criar um novo segredo e atualizar a configuração.
aadsts-other = Tente novamente; se o problema persistir, indique ao seu administrador o código de erro da Microsoft e a referência abaixo.
