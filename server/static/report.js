// The print button: pages send a Content-Security-Policy without inline scripts, so its handler lives here.
document.getElementById("print").addEventListener("click", () => window.print());
