import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  CanvasRenderer,
]);

// The module on the page, as ECharts' own docs use it: `echarts.getInstanceByDom(el).getOption()`
// from a browser console (or a browser test) shows exactly what a chart plots.
(window as unknown as { echarts: typeof echarts }).echarts = echarts;

/**
 * One ECharts chart in a div, resized with its box. `label` names it for screen readers (ECharts'
 * aria option adds a description of the data); the numbers are also in a table beside it.
 */
export function Chart({ option, label }: { option: echarts.EChartsCoreOption; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const instance = echarts.init(box.current!, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={box} class="chart" role="img" aria-label={label} />;
}
