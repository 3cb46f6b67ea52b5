// Markdown preview for the course editor: the server renders and sanitizes, this file
// only sends the text and shows the returned HTML. Without JavaScript the form still works.
document.addEventListener("DOMContentLoaded", () => {
  const token = document.querySelector('input[name="csrf_token"]');
  document.querySelectorAll("[data-md-editor]").forEach((editor) => {
    const button = editor.querySelector("[data-md-preview]");
    const textarea = editor.querySelector("textarea");
    const preview = editor.querySelector(".md-preview");
    if (!button || !textarea || !preview) return;
    button.addEventListener("click", async () => {
      if (!preview.hidden && button.getAttribute("aria-expanded") === "true") {
        preview.hidden = true;
        button.setAttribute("aria-expanded", "false");
        button.textContent = "预览";
        return;
      }
      const body = new URLSearchParams({ text: textarea.value });
      try {
        const response = await fetch(editor.dataset.previewUrl, {
          method: "POST",
          headers: { "X-CSRFToken": token ? token.value : "" },
          body,
          credentials: "same-origin",
        });
        const data = await response.json();
        // The HTML comes from the server's sanitizer (nh3 allow-list), never from the textarea.
        preview.innerHTML = response.ok ? data.html : "";
        if (!response.ok) preview.textContent = data.error || "预览失败，请稍后重试。";
      } catch (error) {
        preview.textContent = "预览失败，请检查网络后重试。";
      }
      preview.hidden = false;
      button.setAttribute("aria-expanded", "true");
      button.textContent = "收起预览";
    });
  });
});

// The 打印 button on certificates and statements (no inline script under the CSP).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
