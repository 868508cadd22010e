// Dates in the reader's time zone: the server writes UTC (it cannot know
// the zone); this rewrites each <time datetime> that shows a date
// (DD-MM-YYYY) and every tooltip to the browser's local time. Without
// JavaScript the UTC text stays, which is correct too.
(function () {
  "use strict";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var els = document.querySelectorAll("time[datetime]");
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    var d = new Date(el.getAttribute("datetime"));
    if (isNaN(d.getTime())) continue;
    var date = pad(d.getDate()) + "-" + pad(d.getMonth() + 1) + "-" + d.getFullYear();
    if (/^\d\d-\d\d-\d{4}$/.test(el.textContent.trim())) el.textContent = date;
    var exact = date + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
    var link = el.parentElement && el.parentElement.matches("a.permalink") ? el.parentElement : el;
    var title = link.getAttribute("title");
    if (title) link.setAttribute("title", title.replace(/\d\d-\d\d-\d{4} \d\d:\d\d(:\d\d)? \S+$/, exact));
    else el.setAttribute("title", exact);
  }
})();
