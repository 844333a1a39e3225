// A classic script, for the browsers the live page is not made for: it
// shows the table the server rendered (4.2.5's page) instead. It runs by
// itself in a browser without ES modules; the dashboard calls it when a
// browser lacks what the live page needs.
(function () {
  function showStaticTable() {
    var ns = document.getElementById('static-table');
    if (!ns) return;
    var div = document.createElement('div');
    div.innerHTML = ns.textContent; // the server's own, escaped markup
    ns.parentNode.replaceChild(div, ns);
    var loading = document.getElementById('loading');
    if (loading) loading.hidden = true;
  }
  window.gsupervisorShowStaticTable = showStaticTable;
  if (!('noModule' in HTMLScriptElement.prototype)) showStaticTable();
})();
