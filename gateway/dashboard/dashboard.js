/* The dashboard's script (gateway/src/dashboard.ts serves it): plain browser JavaScript, no build step. Every figure
 * comes from the graph (/graphql) with the caller's token; charts are Apache ECharts (window.echarts). */
(function () {
  'use strict';

  var endpoint = document.body.getAttribute('data-endpoint') || '/graphql';
  var params = new URLSearchParams(window.location.search);
  var token = params.get('token') || window.sessionStorage.getItem('mms-token') || '';
  if (params.get('token')) {
    window.sessionStorage.setItem('mms-token', token);
    // The token leaves the address bar (and the history) once read.
    window.history.replaceState(null, '', window.location.pathname);
  }

  var $ = function (id) { return document.getElementById(id); };
  var charts = {};
  var state = { scope: null, year: null, values: [], lastStatistics: null };

  var subjects = [
    ['EDUCATORS', 'Педагоги'], ['EMPLOYMENTS', 'Трудоустройства'], ['CATEGORY_AWARDS', 'Присвоения категорий'],
    ['COMPLETIONS', 'Прохождения программ'], ['DIAGNOSTICS', 'Диагностики'], ['DIAGNOSTIC_SCORES', 'Результаты диагностик'],
    ['DEFICITS', 'Дефициты'], ['ROUTES', 'Маршруты'], ['MENTORSHIPS', 'Наставничество'], ['SUPPORT', 'Адресная поддержка'],
    ['PARTICIPATIONS', 'Участие в мероприятиях'], ['APPLICATIONS', 'Заявки на конкурсы'], ['RESULTS', 'Результаты конкурсов'],
    ['HELP_REQUESTS', 'Обращения за помощью'],
  ];
  var measures = [['EDUCATORS', 'Число педагогов'], ['COUNT', 'Число записей'], ['SHARE', 'Доля педагогов, %'], ['SUM', 'Сумма'], ['AVERAGE', 'Среднее']];
  var measureField = { EDUCATORS: 'educators', COUNT: 'count', SHARE: 'share', SUM: 'sum', AVERAGE: 'average' };
  var dimensions = [
    ['', '—'], ['MUNICIPALITY', 'Муниципалитет'], ['ORGANIZATION', 'Организация'], ['ORGANIZATION_KIND', 'Тип организации'],
    ['POSITION', 'Должность'], ['STAFF_CATEGORY', 'Категория персонала'], ['CATEGORY', 'Квалификационная категория'],
    ['AGE_BAND', 'Возраст'], ['EXPERIENCE_BAND', 'Педстаж'], ['EARLY_CAREER', 'Молодой специалист'], ['UNDER_35', 'До 35 лет'],
    ['COMPETENCY', 'Компетенция'], ['PROGRAM_KIND', 'Вид программы'], ['FEDERAL_REGISTRY', 'Федеральный реестр'],
    ['EVENT_KIND', 'Вид мероприятия'], ['EVENT_LEVEL', 'Уровень'], ['ROLE', 'Роль'], ['FORM', 'Форма'], ['STATUS', 'Статус'],
    ['MONTH', 'Месяц'], ['OUTCOME', 'Итог'], ['FINAL_STAGE', 'Финальный этап'], ['REQUEST_KIND', 'Вид обращения'],
    ['REQUESTER_KIND', 'Заявитель'],
  ];
  var dimensionLabel = {};
  dimensions.forEach(function (d) { dimensionLabel[d[0]] = d[1]; });

  function claims() {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(escape(window.atob(part))));
    } catch (e) {
      return {};
    }
  }

  function showError(message) {
    var element = $('error');
    element.textContent = message;
    element.hidden = !message;
  }

  function gql(query, variables) {
    return window.fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (body.errors && body.errors.length) {
          var error = new Error(body.errors.map(function (e) { return e.message + (e.extensions && e.extensions.code ? ' (' + e.extensions.code + ')' : ''); }).join('; '));
          error.errors = body.errors;
          throw error;
        }
        return body.data;
      });
    });
  }

  function option(select, value, text) {
    var element = document.createElement('option');
    element.value = value;
    element.textContent = text;
    select.appendChild(element);
  }

  function academicYear(start) { return start + '/' + (start + 1); }
  /** The last complete academic year: what the indicators are reported for. */
  function lastCompleteYear() {
    var now = new Date();
    var start = now.getMonth() >= 8 ? now.getFullYear() - 1 : now.getFullYear() - 2;
    return start;
  }

  function format(value, kind) {
    if (value === null || value === undefined) return '—';
    if (kind === 'YES_NO') return value === 1 ? 'да' : 'нет';
    return String(value).replace('.', ',');
  }

  function chart(id) {
    if (!charts[id]) charts[id] = window.echarts.init($(id), null, { renderer: 'canvas' });
    return charts[id];
  }

  function cell(row, text, attributes) {
    var element = document.createElement(row.parentNode && row.parentNode.tagName === 'THEAD' ? 'th' : 'td');
    element.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    row.appendChild(element);
    return element;
  }

  function scopeVariable() {
    var value = $('scope').value;
    if (value === 'region') return { region: true };
    if (value.indexOf('organization:') === 0) return { organizationId: value.slice(13) };
    return { municipalityId: value };
  }

  // ---- the 15 indicators and the heat map -------------------------------------------------------------------------
  var valuesQuery = 'query DashboardValues($scope: IndicatorScopeInput!, $year: AcademicYear!) {\n'
    + '  indicatorValues(scope: $scope, academicYear: $year) {\n'
    + '    indicator { number code title unit kind }\n'
    + '    value target isTargetMet reason\n'
    + '    breakdown { scope { municipality { id name } organization { id name } } value isTargetMet }\n'
    + '  }\n}';

  function loadIndicators() {
    document.body.removeAttribute('data-indicators');
    return gql(valuesQuery, { scope: scopeVariable(), year: $('year').value }).then(function (data) {
      state.values = data.indicatorValues;
      renderIndicators(state.values);
      renderHeatmap(state.values);
      document.body.setAttribute('data-indicators', 'ready');
    });
  }

  function renderIndicators(values) {
    var body = $('indicators-table').tBodies[0];
    body.innerHTML = '';
    values.forEach(function (v) {
      var row = body.insertRow();
      row.setAttribute('data-code', v.indicator.code);
      row.setAttribute('data-value', v.value === null ? '' : String(v.value));
      cell(row, String(v.indicator.number));
      cell(row, v.indicator.title + (v.indicator.unit ? ', ' + v.indicator.unit : ''));
      cell(row, format(v.value, v.indicator.kind), { class: 'number value' });
      cell(row, format(v.target, v.indicator.kind), { class: 'number' });
      var met = cell(row, v.isTargetMet === null ? '—' : v.isTargetMet ? 'да' : 'нет');
      met.className = v.isTargetMet === null ? '' : v.isTargetMet ? 'met' : 'unmet';
    });
    var shown = values.filter(function (v) { return v.value !== null && v.target; });
    chart('indicators-chart').setOption({
      title: { text: 'Выполнение цели, % от цели', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 10, bottom: 30, top: 40 },
      xAxis: { type: 'category', data: shown.map(function (v) { return String(v.indicator.number); }) },
      yAxis: { type: 'value' },
      series: [{
        type: 'bar',
        data: shown.map(function (v) {
          return { value: Math.round(1000 * v.value / v.target) / 10, itemStyle: { color: v.isTargetMet ? '#2e7d32' : '#c62828' } };
        }),
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 100 }] },
      }],
    }, true);
  }

  function shade(share) {
    // From #eef4fb (least) to #08519c (most) in the column.
    var from = [238, 244, 251];
    var to = [8, 81, 156];
    var rgb = from.map(function (c, i) { return Math.round(c + (to[i] - c) * share); });
    return 'rgb(' + rgb.join(',') + ')';
  }

  function renderHeatmap(values) {
    var table = $('heatmap');
    var head = table.tHead;
    var body = table.tBodies[0];
    head.innerHTML = '';
    body.innerHTML = '';
    var children = values.length ? values[0].breakdown : [];
    $('heatmap-title').textContent = children.length && children[0].scope.organization ? 'организации' : 'муниципалитеты';
    if (!children.length) {
      var empty = body.insertRow();
      cell(empty, 'Нет дочерних областей: у организации разбивки нет.');
      return;
    }
    var header = head.insertRow();
    cell(header, 'Область');
    values.forEach(function (v) { cell(header, String(v.indicator.number), { title: v.indicator.title }); });
    var ranges = values.map(function (v) {
      var shown = v.breakdown.map(function (b) { return b.value; }).filter(function (x) { return x !== null; });
      return { min: Math.min.apply(null, shown), max: Math.max.apply(null, shown) };
    });
    children.forEach(function (child, i) {
      var place = child.scope.organization || child.scope.municipality;
      var row = body.insertRow();
      row.setAttribute('data-scope', place.id);
      cell(row, place.name, { class: 'name' });
      values.forEach(function (v, j) {
        var b = v.breakdown[i];
        var td = cell(row, format(b.value, v.indicator.kind), { 'data-code': v.indicator.code, 'data-value': b.value === null ? '' : String(b.value), class: 'number' });
        if (b.value !== null) {
          var range = ranges[j];
          var share = range.max > range.min ? (b.value - range.min) / (range.max - range.min) : 0.5;
          td.style.background = shade(share);
          td.style.color = share > 0.55 ? '#fff' : '#111';
        }
        if (b.isTargetMet === false) td.classList.add('unmet-cell');
      });
    });
  }

  // ---- the trend -------------------------------------------------------------------------------------------------
  var trendQuery = 'query DashboardTrend($code: IndicatorCode!, $scope: IndicatorScopeInput!, $years: [AcademicYear!]!) {\n'
    + '  indicatorTrend(code: $code, scope: $scope, academicYears: $years) { academicYear value target indicator { title unit } }\n}';

  function loadTrend() {
    document.body.removeAttribute('data-trend');
    var end = Number($('year').value.slice(0, 4));
    var years = [];
    for (var y = end - 4; y <= end; y += 1) years.push(academicYear(y));
    return gql(trendQuery, { code: $('trend-indicator').value, scope: scopeVariable(), years: years }).then(function (data) {
      var points = data.indicatorTrend;
      chart('trend-chart').setOption({
        title: { text: points.length ? points[0].indicator.title : '', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        grid: { left: 50, right: 20, bottom: 50, top: 40 },
        xAxis: { type: 'category', data: points.map(function (p) { return p.academicYear; }) },
        yAxis: { type: 'value', name: points.length && points[0].indicator.unit ? points[0].indicator.unit : '' },
        series: [
          { name: 'Значение', type: 'line', data: points.map(function (p) { return p.value; }), connectNulls: false },
          { name: 'Цель', type: 'line', lineStyle: { type: 'dashed' }, data: points.map(function (p) { return p.target; }) },
        ],
      }, true);
      document.body.setAttribute('data-trend', 'ready');
    });
  }

  // ---- the statistics builder -------------------------------------------------------------------------------------
  var statisticsQuery = 'query DashboardStatistics($subject: StatisticsSubject!, $measures: [StatisticsMeasure!]!, $groupBy: [StatisticsDimension!]!,\n'
    + '  $scope: IndicatorScopeInput, $year: AcademicYear) {\n'
    + '  statistics(subject: $subject, measures: $measures, groupBy: $groupBy, scope: $scope, academicYear: $year) {\n'
    + '    groupBy smallCellThreshold suppressedCount\n'
    + '    rows { values labels count educators share denominator sum average isSuppressed }\n'
    + '    total { count educators share denominator sum average isSuppressed }\n'
    + '  }\n}';

  function runStatistics() {
    document.body.removeAttribute('data-statistics');
    var groupBy = [$('group1').value, $('group2').value].filter(function (d, i, all) { return d && all.indexOf(d) === i; });
    var measure = $('measure').value;
    $('builder-note').textContent = '';
    var subject = $('subject').value;
    return gql(statisticsQuery, { subject: subject, measures: [measure], groupBy: groupBy, scope: scopeVariable(), year: $('year').value })
      .then(function (data) {
        state.lastStatistics = { answer: data.statistics, measure: measure, subject: subject };
        renderStatistics(data.statistics, measure);
        document.body.setAttribute('data-statistics', 'ready');
      }, function (error) {
        $('builder-note').textContent = 'Запрос отклонён: ' + error.message;
        document.body.setAttribute('data-statistics', 'error');
      });
  }

  function measureValue(row, measure) { return row[measureField[measure]]; }

  function renderStatistics(answer, measure) {
    var table = $('builder-table');
    table.tHead.innerHTML = '';
    table.tBodies[0].innerHTML = '';
    table.tFoot.innerHTML = '';
    var header = table.tHead.insertRow();
    answer.groupBy.forEach(function (d) { cell(header, dimensionLabel[d] || d); });
    cell(header, measures.filter(function (m) { return m[0] === measure; })[0][1]);
    if (measure === 'SHARE') cell(header, 'Знаменатель');
    answer.rows.forEach(function (r) {
      var row = table.tBodies[0].insertRow();
      row.setAttribute('data-values', JSON.stringify(r.values));
      r.labels.forEach(function (l) { cell(row, l); });
      var v = measureValue(r, measure);
      cell(row, r.isSuppressed ? '< ' + answer.smallCellThreshold : format(v), { class: 'number value', 'data-value': v === null ? '' : String(v) });
      if (measure === 'SHARE') cell(row, format(r.denominator), { class: 'number' });
    });
    var foot = table.tFoot.insertRow();
    cell(foot, 'Итого (педагог двух групп — один раз)', { colspan: String(Math.max(1, answer.groupBy.length)) });
    var total = measureValue(answer.total, measure);
    cell(foot, format(total), { class: 'number value', 'data-value': total === null ? '' : String(total) });
    if (measure === 'SHARE') cell(foot, format(answer.total.denominator), { class: 'number' });
    $('builder-note').textContent = answer.suppressedCount
      ? 'Скрыто групп: ' + answer.suppressedCount + ' (меньше ' + answer.smallCellThreshold + ' педагогов, и одна соседняя, чтобы их нельзя было вычесть из итога).'
      : '';
    drawStatistics(answer, measure);
    $('csv').href = URL.createObjectURL(new Blob([csv(answer, measure)], { type: 'text/csv;charset=utf-8' }));
    $('csv').hidden = false;
    // The XLSX is built by the gateway (/export/statistics.xlsx) from the same request, with the same token.
    var query = new URLSearchParams({ subject: state.lastStatistics.subject, measures: measure, groupBy: answer.groupBy.join(','), academicYear: $('year').value });
    var scope = scopeVariable();
    if (scope && scope.municipalityId) query.set('municipalityId', scope.municipalityId);
    if (scope && scope.organizationId) query.set('organizationId', scope.organizationId);
    $('xlsx').setAttribute('data-href', '/export/statistics.xlsx?' + query.toString());
    $('xlsx').hidden = false;
  }

  /** Downloads the XLSX: fetched with the token (a plain link would not send it), then saved from a blob. */
  function downloadXlsx() {
    var href = $('xlsx').getAttribute('data-href');
    return window.fetch(href, { headers: { Authorization: 'Bearer ' + token } }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (body) { throw new Error((body.errors && body.errors[0] && body.errors[0].message) || response.statusText); });
      }
      return response.blob();
    }).then(function (blob) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'statistics.xlsx';
      document.body.appendChild(link);
      link.click();
      link.remove();
    }).catch(function (error) { $('builder-note').textContent = 'XLSX не выгружен: ' + error.message; });
  }

  function drawStatistics(answer, measure) {
    var rows = answer.rows.filter(function (r) { return !r.isSuppressed; });
    var first = [];
    rows.forEach(function (r) { if (r.labels.length && first.indexOf(r.labels[0]) < 0) first.push(r.labels[0]); });
    var series;
    if (answer.groupBy.length < 2) {
      if (!answer.groupBy.length) first = ['Итого'];
      series = [{ type: 'bar', name: measure, data: answer.groupBy.length ? rows.map(function (r) { return measureValue(r, measure); }) : [measureValue(answer.total, measure)] }];
    } else {
      var second = [];
      rows.forEach(function (r) { if (second.indexOf(r.labels[1]) < 0) second.push(r.labels[1]); });
      series = second.map(function (name) {
        return {
          type: 'bar', name: name, stack: measure === 'SHARE' || measure === 'AVERAGE' ? undefined : 'total',
          data: first.map(function (f) {
            var found = rows.filter(function (r) { return r.labels[0] === f && r.labels[1] === name; })[0];
            return found ? measureValue(found, measure) : null;
          }),
        };
      });
    }
    chart('builder-chart').setOption({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 50, right: 20, bottom: 60, top: 20, containLabel: true },
      xAxis: { type: 'category', data: first, axisLabel: { interval: 0, rotate: first.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: series,
    }, true);
  }

  /** CSV for Excel: UTF-8 with BOM, ';', decimals with a comma; each dimension as its label and its value. */
  function csv(answer, measure) {
    var quote = function (text) {
      var s = text === null || text === undefined ? '' : String(text);
      return /[;"\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    var number = function (v) { return v === null || v === undefined ? '' : String(v).replace('.', ','); };
    var header = [];
    answer.groupBy.forEach(function (d) { header.push(dimensionLabel[d] || d, d); });
    header.push(measure);
    if (measure === 'SHARE') header.push('DENOMINATOR');
    header.push('SUPPRESSED');
    var lines = [header.map(quote).join(';')];
    answer.rows.forEach(function (r) {
      var line = [];
      r.labels.forEach(function (l, i) { line.push(quote(l), quote(r.values[i])); });
      line.push(number(measureValue(r, measure)));
      if (measure === 'SHARE') line.push(number(r.denominator));
      line.push(r.isSuppressed ? '1' : '0');
      lines.push(line.join(';'));
    });
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  // ---- start -----------------------------------------------------------------------------------------------------
  function fill() {
    subjects.forEach(function (s) { option($('subject'), s[0], s[1]); });
    measures.forEach(function (m) { option($('measure'), m[0], m[1]); });
    dimensions.forEach(function (d) { option($('group1'), d[0], d[1]); option($('group2'), d[0], d[1]); });
    $('subject').value = 'EDUCATORS';
    $('measure').value = 'EDUCATORS';
    $('group1').value = 'MUNICIPALITY';
    $('group2').value = 'CATEGORY';
    var last = lastCompleteYear();
    for (var y = last + 1; y >= last - 5; y -= 1) option($('year'), academicYear(y), academicYear(y));
    $('year').value = academicYear(last);
  }

  function loadAll() {
    showError('');
    // One after another: each is an expensive read, and the graph runs one of a caller's at a time.
    return loadIndicators().then(loadTrend).then(runStatistics).catch(function (error) { showError(error.message); });
  }

  function start() {
    fill();
    var c = claims();
    $('signed-in').textContent = c.role ? 'Роль: ' + c.role : '';
    var scopes = c.role === 'municipality_methodist' ? gql('query ($id: ID!) { municipality(id: $id) { id name } }', { id: c.municipality_id })
      .then(function (d) { return [[d.municipality.id, d.municipality.name]]; })
      : c.role === 'organization_admin' ? gql('query ($id: ID!) { organization(id: $id) { id name } }', { id: c.organization_id })
        .then(function (d) { return [['organization:' + d.organization.id, d.organization.name]]; })
        : gql('{ municipalities { id name } }').then(function (d) {
          return [['region', 'Регион']].concat(d.municipalities.map(function (m) { return [m.id, m.name]; }));
        });
    return scopes.then(function (list) {
      list.forEach(function (s) { option($('scope'), s[0], s[1]); });
      return gql('{ indicators { number code title } }');
    }).then(function (data) {
      data.indicators.forEach(function (i) { option($('trend-indicator'), i.code, i.number + '. ' + i.title); });
      $('trend-indicator').value = 'DIAGNOSTICS_SHARE';
      $('scope').addEventListener('change', loadAll);
      $('year').addEventListener('change', loadAll);
      $('trend-indicator').addEventListener('change', function () { loadTrend().catch(function (e) { showError(e.message); }); });
      $('builder').addEventListener('submit', function (event) { event.preventDefault(); runStatistics(); });
      $('xlsx').addEventListener('click', function () { downloadXlsx(); });
      window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
      return loadAll();
    }).catch(function (error) { showError(error.message); });
  }

  $('sign-in').addEventListener('submit', function (event) {
    event.preventDefault();
    token = $('token').value.trim().replace(/^Bearer\s+/i, '');
    window.sessionStorage.setItem('mms-token', token);
    window.location.reload();
  });

  if (!token) {
    $('sign-in').hidden = false;
    showError('Нужен токен: откройте ссылку, которую печатает npm start (…/dashboard?token=…), или вставьте токен.');
    return;
  }
  start();
})();
