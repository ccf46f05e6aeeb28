# XML-only addon: no Python code, so it installs unchanged on Odoo 16, 17, 18 and 19
# (Odoo prefixes the version with the running series).
{
    "name": "Login Bridge: sign-in frame on the login page",
    "summary": "Shows the Login Bridge sign-in buttons inside Odoo's login page",
    "description": """
Adds an iframe with the Login Bridge's /embed page above or below Odoo's password
form, or instead of it. Configured with four system parameters
(login_bridge_embed.url, .odoo_id, .position, .hide_password); see README.md.
""",
    "version": "1.0.0",
    "category": "Hidden/Tools",
    "author": "Login Bridge",
    "license": "Other OSI approved licence",
    "depends": ["web"],
    "data": [
        "data/ir_config_parameter.xml",
        "views/login_templates.xml",
    ],
    "installable": True,
    "application": False,
    "auto_install": False,
}
