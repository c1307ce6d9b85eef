import { render } from 'preact';
import '../styles.css';
import './portal.css';
import { PortalApp } from './portal-app.js';

render(<PortalApp />, document.getElementById('app')!);
