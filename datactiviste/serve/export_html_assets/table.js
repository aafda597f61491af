(function(){
"use strict";
var D=JSON.parse(document.getElementById("data").textContent),R=D.rows,S=D.shown,L=D.labels;
var head=document.querySelector("thead"),body=document.querySelector("tbody");
var more=document.getElementById("more"),count=document.getElementById("count"),q=document.getElementById("q");
var fold=function(s){return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g,"").toLowerCase();};
var esc=function(s){return String(s).replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;");};
var shown=function(r,c){var v=R[r][c];if(v===null)return "";return S[c]&&S[c][r]!==null?S[c][r]:String(v);};
var keys=null,limit=D.page;
function folded(){if(!keys)keys=L.map(function(_,c){return R.map(function(_,r){return fold(shown(r,c));});});return keys;}
var filters=L.map(function(){return "";}),order=R.map(function(_,i){return i;}),sortCol=-1,desc=false;
var coll=new Intl.Collator(D.lang,{numeric:true,sensitivity:"base"});
var h="<tr>"+L.map(function(l,c){return '<th scope="col" title="'+esc(D.text.sort)+'" data-c="'+c+'">'+esc(l)+"</th>";}).join("")+"</tr>";
h+='<tr class="f">'+L.map(function(l,c){return '<th><input data-c="'+c+'" aria-label="'+esc(D.text.filter+" "+l)+'" placeholder="'+esc(D.text.filter)+'"></th>';}).join("")+"</tr>";
head.innerHTML=h;
function compare(a,b){var x=R[a][sortCol],y=R[b][sortCol];
  if(x===null||y===null)return x===y?a-b:(x===null?1:-1);
  var n=typeof x==="number"&&typeof y==="number"?x-y:coll.compare(String(x),String(y));
  return (desc?-n:n)||a-b;}
function draw(){
  var words=fold(q.value).split(/\s+/).filter(Boolean),out=[],n=0;
  var keys=words.length||filters.some(Boolean)?folded():null;
  for(var i=0;i<order.length;i++){var r=order[i],ok=true;
    for(var c=0;c<L.length&&ok;c++)if(filters[c]&&keys[c][r].indexOf(filters[c])<0)ok=false;
    for(var w=0;w<words.length&&ok;w++){ok=false;for(c=0;c<L.length;c++)if(keys[c][r].indexOf(words[w])>=0){ok=true;break;}}
    if(!ok)continue;if(++n>limit)continue;out.push("<tr>");
    for(c=0;c<L.length;c++)out.push(S[c]&&R[r][c]!==null&&typeof R[r][c]==="number"?'<td class="n">':"<td>",esc(shown(r,c)),"</td>");
    out.push("</tr>");}
  body.innerHTML=out.join("");
  more.hidden=n<=limit;more.textContent=D.text.more.replace("{count}",(n-limit).toLocaleString(D.lang));
  count.textContent=D.text.count.replace("{shown}",n.toLocaleString(D.lang)).replace("{total}",R.length.toLocaleString(D.lang));}
head.addEventListener("click",function(e){var t=e.target.closest("th[data-c]");if(!t)return;
  var c=+t.dataset.c;desc=sortCol===c?!desc:false;sortCol=c;order.sort(compare);
  head.querySelectorAll("th[data-c]").forEach(function(th){th.removeAttribute("aria-sort");});
  t.setAttribute("aria-sort",desc?"descending":"ascending");draw();});
head.addEventListener("input",function(e){var c=e.target.dataset.c;if(c===undefined)return;filters[+c]=fold(e.target.value.trim());draw();});
q.addEventListener("input",draw);
more.addEventListener("click",function(){limit=Infinity;draw();});
document.getElementById("csv").addEventListener("click",function(){
  var fix={};D.csv.forEach(function(o){fix[o[0]+","+o[1]]=o[2];});
  var cell=function(v){if(v===null)return "";v=String(v);return /[",\r\n]/.test(v)?'"'+v.replace(/"/g,'""')+'"':v;};
  var lines=[D.csvHeader.map(cell).join(",")];
  for(var r=0;r<R.length;r++)lines.push(R[r].map(function(v,c){var k=r+","+c;return cell(k in fix?fix[k]:v);}).join(","));
  var a=document.createElement("a");a.href=URL.createObjectURL(new Blob(["\ufeff"+lines.join("\r\n")+"\r\n"],{type:"text/csv;charset=utf-8"}));
  a.download=D.file;document.body.appendChild(a);a.click();a.remove();});
draw();
document.documentElement.setAttribute("data-drawn",Math.round(performance.now()));
})();
