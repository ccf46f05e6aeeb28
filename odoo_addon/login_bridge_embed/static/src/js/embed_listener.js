/*
 * Login Bridge embed: grows the sign-in frame (#login_bridge_embed) to the height its page
 * reports. Trusts only messages that come from that very frame's window AND from the origin of
 * its src, carrying {type: "login-bridge:height", height: <number>}. Anything else is ignored.
 * Loaded before the frame, so the frame is looked up when a message arrives (zero frames: no-op).
 */
(function () {
    "use strict";

    var FRAME_ID = "login_bridge_embed";
    var MESSAGE_TYPE = "login-bridge:height";
    var MAX_HEIGHT = 4000;

    function originOf(url) {
        try {
            return new URL(url, window.location.href).origin;
        } catch (e) {
            return null;
        }
    }

    function onMessage(event) {
        var frame = document.getElementById(FRAME_ID);
        if (!frame || frame.tagName !== "IFRAME" || !frame.src) {
            return;
        }
        if (event.source !== frame.contentWindow) {
            return;
        }
        var expected = originOf(frame.src);
        if (!expected || expected === "null" || event.origin !== expected) {
            return;
        }
        var data = event.data;
        if (!data || typeof data !== "object" || data.type !== MESSAGE_TYPE) {
            return;
        }
        var height = data.height;
        if (typeof height !== "number" || !isFinite(height) || height <= 0 || height >= MAX_HEIGHT) {
            return;
        }
        frame.style.height = Math.ceil(height) + "px";
    }

    if (window.addEventListener) {
        window.addEventListener("message", onMessage, false);
    }
})();
