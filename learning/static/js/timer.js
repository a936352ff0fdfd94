// Optional: count the time left down once a minute. The server enforces the limit either way.
(function () {
  var el = document.querySelector(".timer[data-deadline]");
  if (!el) return;
  var deadline = new Date(el.getAttribute("data-deadline"));
  // The texts come from the page, in the reader's language; "{m}" stands for the minutes.
  var leftText = el.getAttribute("data-left") || "Còn khoảng {m} phút.";
  var overText = el.getAttribute("data-over") || "Đã hết thời gian làm bài.";
  function tick() {
    var left = Math.floor((deadline - new Date()) / 60000);
    el.textContent = left >= 0 ? leftText.replace("{m}", left + 1) : overText;
  }
  tick();
  setInterval(tick, 30000);
})();
