import { makeStyles } from '@material-ui/core';
import StorageIcon from '@material-ui/icons/Storage';

const useStyles = makeStyles({
  icon: {
    color: '#7df3e1',
  },
});

/** The portal's mark in the closed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();
  return <StorageIcon className={classes.icon} fontSize="large" />;
};
