// crmd desk: placeholder entry module (desk/app is the page; crmd serves it at /desk/).
const status = document.getElementById('status');
if (status)
    status.textContent = 'The desk page is being built.';
