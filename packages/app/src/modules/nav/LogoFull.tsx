import { makeStyles } from '@material-ui/core';
import StorageIcon from '@material-ui/icons/Storage';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
    color: '#7df3e1',
    whiteSpace: 'nowrap',
  },
  title: {
    fontSize: 17,
    fontWeight: 700,
    lineHeight: 1.1,
  },
});

/** The portal's name in the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <StorageIcon fontSize="large" />
      <span className={classes.title}>
        Data Product
        <br />
        Portal
      </span>
    </div>
  );
};
